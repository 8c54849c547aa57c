/**
 * The token arrives in the URL fragment (`#token=…`), which browsers never send to a server or put in
 * a Referer. The page moves it to sessionStorage and strips it from the address bar.
 */
export function tokenFromHash(hash: string): { readonly token: string | null; readonly rest: string } {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const token = params.get('token');
  params.delete('token');
  const rest = params.toString();
  return { token: token === null || token === '' ? null : token, rest: rest === '' ? '' : `#${rest}` };
}

export const TOKEN_KEY = 'orchestrator.token';
