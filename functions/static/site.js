// The copy buttons' only behaviour: shown (they are hidden without scripts, where the read-only
// field alone lets a reader select the URL) and wired to the Clipboard API when it is available.
for (const button of document.querySelectorAll('button[data-copy]')) {
  const field = document.getElementById(button.dataset.copy);
  const status = document.getElementById(`${button.dataset.copy}-status`);
  if (!field || !navigator.clipboard) continue;
  button.hidden = false;
  field.addEventListener('focus', () => field.select());
  button.addEventListener('click', () => {
    navigator.clipboard.writeText(field.value).then(
      () => {
        button.textContent = 'Copied';
        if (status) status.textContent = 'Feed URL copied to the clipboard';
      },
      () => {
        field.select();
        if (status) status.textContent = 'Press Ctrl+C or ⌘C to copy the selected URL';
      },
    );
  });
}
