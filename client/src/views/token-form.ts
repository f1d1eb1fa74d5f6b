// The access token form: a server reachable beyond loopback needs CONFIGGRAPH_TOKEN on every API call.
// The token goes to sessionStorage for this tab only (api.setToken), never into the URL.
import * as api from '../api.ts';
import { h } from '../dom.ts';

let forms = 0;

export function tokenForm(onToken: () => void): HTMLElement {
  const id = `token-${++forms}`;
  const input = h('input', { type: 'password', id, class: 'token-input', autocomplete: 'off' });
  const form = h(
    'form',
    { class: 'token-form' },
    h('label', { for: id }, 'Access token '),
    input,
    h('button', { type: 'submit' }, 'Use token'),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    api.setToken(input.value.trim() || undefined);
    onToken();
  });
  return form;
}
