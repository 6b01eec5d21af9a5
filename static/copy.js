// Copy buttons on the case record: the text block beside each button is selectable without JavaScript;
// with it, one press copies the block (a file, not inline: the CSP allows no inline script).
document.querySelectorAll("[data-copy]").forEach((button) => {
  const block = document.getElementById(button.dataset.copy);
  const status = button.parentElement.querySelector(".copy-status");
  if (!block) return;
  button.hidden = false;
  button.addEventListener("click", async () => {
    block.focus();
    block.select();
    try {
      await navigator.clipboard.writeText(block.value);
    } catch (error) {
      document.execCommand("copy"); // older browsers, or a page not served over HTTPS
    }
    if (status) status.textContent = button.dataset.copied;
  });
});
