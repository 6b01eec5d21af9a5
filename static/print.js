// Print buttons on the plan sheet and the ticket slip (a file, not inline: the CSP allows no inline script).
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
