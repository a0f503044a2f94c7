/** Where this tab keeps the channel token; the settings page keeps its admin token apart. */
const channelTokenKey = 'handoff.token';

/**
 * The API token: from the page's fragment (`#token=…`, as the start command prints it; the
 * fragment never reaches a server log), else from this tab's storage. The fragment is removed
 * from the address bar once read.
 */
export function readToken(storageKey = channelTokenKey): string | undefined {
  const fragment = new URLSearchParams(window.location.hash.slice(1));
  const fromFragment = fragment.get('token');
  if (fromFragment !== null && fromFragment !== '') {
    sessionStorage.setItem(storageKey, fromFragment);
    history.replaceState(null, '', window.location.pathname + window.location.search);
    return fromFragment;
  }
  return sessionStorage.getItem(storageKey) ?? undefined;
}

/** Shows the token form and resolves once a token is entered. */
export function askForToken(panel: HTMLElement, storageKey = channelTokenKey): Promise<string> {
  panel.hidden = false;
  const form = panel.querySelector('form') as HTMLFormElement;
  const input = form.querySelector('input') as HTMLInputElement;
  input.focus();
  return new Promise((resolve) => {
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const token = input.value.trim();
      if (token === '') return;
      sessionStorage.setItem(storageKey, token);
      panel.hidden = true;
      resolve(token);
    });
  });
}
