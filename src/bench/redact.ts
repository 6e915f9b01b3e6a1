/**
 * Build-arg values as a bench result records them: results go into a history file that is often
 * committed, a CI step summary and an HTML report, so credentials must not. A URL's userinfo
 * (`https://user:token@host/...`, an index URL with a token) is dropped, and the value of an arg
 * whose name says it holds a secret is masked whole.
 */

/** Arg names that hold secrets: TOKEN, PASSWORD/PASSWD/PASS, SECRET, KEY (API_KEY, KEY_ID...), CREDENTIAL(S), AUTH. */
const SECRET_NAME = /(^|[^A-Z0-9])(TOKEN|PASSWORD|PASSWD|PASS|PWD|SECRET|KEY|CREDENTIALS?|AUTH)([^A-Z0-9]|$)/i;
const MASK = '***';

/** True when the arg's name says its value is a secret. */
export function isSecretArg(name: string): boolean {
  return SECRET_NAME.test(name.replace(/([a-z])([A-Z])/g, '$1_$2'));
}

/** `scheme://user:pass@host` -> `scheme://host`, wherever a URL appears in the value. */
export function stripUserinfo(value: string): string {
  return value.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^/\s@]*@/gi, '$1');
}

/** The build args with secrets masked and URL credentials stripped. */
export function redactBuildArgs(args: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(args)) out[k] = isSecretArg(k) ? MASK : stripUserinfo(v);
  return out;
}
