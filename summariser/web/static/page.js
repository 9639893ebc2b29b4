() => {
  // Ctrl+Enter (Cmd+Enter on a Mac) writes the brief from anywhere on the page.
  document.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key === "Enter") {
      const button = document.querySelector("#brief-button");
      if (button && !button.disabled && button.offsetParent !== null) {
        event.preventDefault();
        button.click();
      }
    }
  });
  // After a click on Write brief the progress panel below it comes into view (on a phone the
  // button can sit at the bottom edge of the screen).
  document.addEventListener("click", (event) => {
    if (!event.target.closest || !event.target.closest("#brief-button")) return;
    setTimeout(() => {
      const panel = document.querySelector("#progress");
      if (panel) panel.scrollIntoView({ block: "nearest" });
    }, 0);
  });
  // A link to a cited sentence opens the collapsed source view it sits in, scrolls to it and moves focus there.
  document.addEventListener("click", (event) => {
    const link = event.target.closest ? event.target.closest("a[href^='#b']") : null;
    if (!link) return;
    const target = document.getElementById(link.getAttribute("href").slice(1));
    if (!target) return;
    event.preventDefault();
    for (let d = target.closest("details"); d; d = d.parentElement ? d.parentElement.closest("details") : null) {
      d.open = true;
    }
    document.querySelectorAll(".cited.current").forEach((el) => el.classList.remove("current"));
    target.classList.add("current");
    target.scrollIntoView({ block: "center" });
    target.focus({ preventScroll: true });
  });
  // The status line is a live region: screen readers announce each new stage and the outcome.
  const mark = () => {
    const live = document.querySelector("#status-live");
    if (!live) return false;
    live.setAttribute("role", "status");
    live.setAttribute("aria-live", "polite");
    live.setAttribute("aria-atomic", "true");
    return true;
  };
  if (!mark()) {
    const observer = new MutationObserver(() => { if (mark()) observer.disconnect(); });
    observer.observe(document.body, { childList: true, subtree: true });
  }
}
