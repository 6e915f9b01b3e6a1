/**
 * The subset of HCL that `docker-bake.hcl` files use: blocks with labels, attributes, strings
 * with `${...}` interpolation, heredocs, numbers, booleans, lists, objects, variable references and
 * comments. Anything richer (function calls, operators, conditionals, for-expressions) is kept as
 * raw text, so the caller can say it was not evaluated instead of guessing. No maintained MIT HCL
 * parser for JavaScript is in the package list (the ones there wrap a Go WebAssembly build).
 */

export type HclExpr =
  | { t: 'lit'; v: string | number | boolean | null }
  | { t: 'tmpl'; parts: (string | HclExpr)[] }
  | { t: 'list'; items: HclExpr[] }
  | { t: 'obj'; entries: [string, HclExpr][] }
  | { t: 'ref'; path: string[] }
  | { t: 'raw'; text: string };

export interface HclAttr {
  name: string;
  expr: HclExpr;
  line: number;
}

export interface HclBlock {
  type: string;
  labels: string[];
  line: number;
  body: HclBody;
}

export interface HclBody {
  attrs: HclAttr[];
  blocks: HclBlock[];
}

/** A syntax error with the 1-based line it was found on. */
export class HclError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

const IDENT = /[A-Za-z_][A-Za-z0-9_-]*/y;
const NUMBER = /-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

/** Parses an HCL file's text into its top-level body. Throws HclError on text it cannot read. */
export function parseHcl(text: string): HclBody {
  const p = new Parser(text);
  const body = p.body(true);
  return body;
}

class Parser {
  private pos = 0;
  private lineNo = 1;
  private lineAt = 0;

  constructor(private readonly s: string) {}

  private line(): number {
    for (; this.lineAt < this.pos && this.lineAt < this.s.length; this.lineAt++)
      if (this.s.charCodeAt(this.lineAt) === 10) this.lineNo++;
    return this.lineNo;
  }

  private fail(msg: string): never {
    throw new HclError(msg, this.line());
  }

  /** Skips spaces and comments; newlines too unless `keepNewlines`. */
  private skip(keepNewlines = false): void {
    const s = this.s;
    while (this.pos < s.length) {
      const c = s[this.pos];
      if (c === ' ' || c === '\t' || c === '\r' || (c === '\n' && !keepNewlines)) this.pos++;
      else if (c === '#' || (c === '/' && s[this.pos + 1] === '/')) {
        while (this.pos < s.length && s[this.pos] !== '\n') this.pos++;
      } else if (c === '/' && s[this.pos + 1] === '*') {
        const end = s.indexOf('*/', this.pos + 2);
        if (end < 0) this.fail('unterminated /* comment');
        this.pos = end + 2;
      } else break;
    }
  }

  private ident(): string | null {
    IDENT.lastIndex = this.pos;
    const m = IDENT.exec(this.s);
    if (!m) return null;
    this.pos += m[0].length;
    return m[0];
  }

  body(top: boolean): HclBody {
    const body: HclBody = { attrs: [], blocks: [] };
    for (;;) {
      this.skip();
      if (this.pos >= this.s.length) {
        if (!top) this.fail('a block is not closed with }');
        return body;
      }
      if (this.s[this.pos] === '}') {
        if (top) this.fail('unexpected }');
        this.pos++;
        return body;
      }
      const line = this.line();
      const name = this.ident();
      if (!name) this.fail(`unexpected ${JSON.stringify(this.s[this.pos])}`);
      this.skip(true);
      const c = this.s[this.pos];
      if (c === '=' && this.s[this.pos + 1] !== '=') {
        this.pos++;
        body.attrs.push({ name, expr: this.expr(), line });
        this.endOfItem();
        continue;
      }
      const labels: string[] = [];
      for (;;) {
        this.skip(true);
        if (this.s[this.pos] === '"') {
          const e = this.string();
          labels.push(e.t === 'lit' ? String(e.v) : exprText(e));
        } else if (this.s[this.pos] === '{') break;
        else {
          const l = this.ident();
          if (!l) this.fail(`expected = or { after ${name}`);
          labels.push(l);
        }
      }
      this.pos++;
      body.blocks.push({ type: name, labels, line, body: this.body(false) });
    }
  }

  /** After an attribute: a newline, a closing brace or the end of the text. */
  private endOfItem(): void {
    this.skip(true);
    const c = this.s[this.pos];
    if (c === undefined || c === '\n' || c === '}') return;
    if (c === ';' || c === ',') {
      this.pos++;
      return;
    }
    this.fail(`unexpected ${JSON.stringify(c)} after an attribute`);
  }

  /** One expression; anything past a simple value on the same item becomes raw text. */
  expr(): HclExpr {
    this.skip(true);
    const start = this.pos;
    const e = this.primary();
    this.skip(true);
    const c = this.s[this.pos];
    if (c === undefined || c === '\n' || c === ',' || c === '}' || c === ']' || c === ')' || c === ';') return e;
    // Operators, calls, conditionals: keep the whole expression as written.
    this.pos = start;
    this.scanRaw();
    return { t: 'raw', text: this.s.slice(start, this.pos).trim() };
  }

  /** Moves to the end of an expression: the first newline, `,` or closer at depth 0. */
  private scanRaw(): void {
    let depth = 0;
    while (this.pos < this.s.length) {
      const c = this.s[this.pos];
      if (c === '"') {
        this.string();
        continue;
      }
      if (c === '(' || c === '[' || c === '{') depth++;
      else if (c === ')' || c === ']' || c === '}') {
        if (depth === 0) return;
        depth--;
      } else if ((c === '\n' || c === ',') && depth === 0) return;
      else if (c === '#' || (c === '/' && (this.s[this.pos + 1] === '/' || this.s[this.pos + 1] === '*'))) {
        if (depth === 0) return;
        this.skip(true);
        continue;
      }
      this.pos++;
    }
  }

  private primary(): HclExpr {
    const s = this.s;
    const c = s[this.pos];
    if (c === '"') return this.string();
    if (c === '<' && s[this.pos + 1] === '<') return this.heredoc();
    if (c === '[') {
      this.pos++;
      const items: HclExpr[] = [];
      for (;;) {
        this.skip();
        if (s[this.pos] === ']') {
          this.pos++;
          return { t: 'list', items };
        }
        if (this.pos >= s.length) this.fail('a list is not closed with ]');
        items.push(this.expr());
        this.skip();
        if (s[this.pos] === ',') this.pos++;
        else if (s[this.pos] !== ']') this.fail(`expected , or ] in a list`);
      }
    }
    if (c === '{') {
      this.pos++;
      const entries: [string, HclExpr][] = [];
      for (;;) {
        this.skip();
        if (s[this.pos] === '}') {
          this.pos++;
          return { t: 'obj', entries };
        }
        if (this.pos >= s.length) this.fail('an object is not closed with }');
        let key: string | null;
        if (s[this.pos] === '"') {
          const k = this.string();
          key = k.t === 'lit' ? String(k.v) : exprText(k);
        } else key = this.ident();
        if (key === null) this.fail(`expected an object key`);
        this.skip(true);
        if (s[this.pos] !== '=' && s[this.pos] !== ':') this.fail(`expected = or : after ${key}`);
        this.pos++;
        entries.push([key, this.expr()]);
        this.skip(true);
        if (s[this.pos] === ',' || s[this.pos] === '\n') this.pos++;
        else if (s[this.pos] !== '}') this.fail(`expected , or } in an object`);
      }
    }
    NUMBER.lastIndex = this.pos;
    const num = NUMBER.exec(s);
    if (num) {
      this.pos += num[0].length;
      return { t: 'lit', v: Number(num[0]) };
    }
    const start = this.pos;
    const id = this.ident();
    if (id) {
      if (id === 'true' || id === 'false') return { t: 'lit', v: id === 'true' };
      if (id === 'null') return { t: 'lit', v: null };
      const path = [id];
      while (s[this.pos] === '.') {
        this.pos++;
        const next = this.ident();
        if (!next) this.fail(`expected a name after ${path.join('.')}.`);
        path.push(next);
      }
      if (s[this.pos] === '(' || s[this.pos] === '[') {
        this.pos = start;
        this.scanRaw();
        return { t: 'raw', text: s.slice(start, this.pos).trim() };
      }
      return { t: 'ref', path };
    }
    if (this.pos >= s.length) this.fail('an expression is missing');
    this.scanRaw();
    if (this.pos === start) this.fail(`unexpected ${JSON.stringify(c)}`);
    return { t: 'raw', text: s.slice(start, this.pos).trim() };
  }

  /** A quoted template: literal parts and `${ expr }` parts. */
  private string(): HclExpr {
    const s = this.s;
    this.pos++;
    const parts: (string | HclExpr)[] = [];
    let lit = '';
    for (;;) {
      if (this.pos >= s.length || s[this.pos] === '\n') this.fail('a string is not closed with "');
      const c = s[this.pos];
      if (c === '"') {
        this.pos++;
        break;
      }
      if (c === '\\') {
        const n = s[this.pos + 1];
        const esc: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\' };
        lit += esc[n] ?? `\\${n}`;
        this.pos += 2;
      } else if ((c === '$' || c === '%') && s[this.pos + 1] === c && s[this.pos + 2] === '{') {
        lit += `${c}{`;
        this.pos += 3;
      } else if (c === '$' && s[this.pos + 1] === '{') {
        if (lit) parts.push(lit);
        lit = '';
        parts.push(this.interpolation());
      } else {
        lit += c;
        this.pos++;
      }
    }
    if (lit) parts.push(lit);
    if (parts.length === 0) return { t: 'lit', v: '' };
    if (parts.length === 1 && typeof parts[0] === 'string') return { t: 'lit', v: parts[0] };
    return { t: 'tmpl', parts };
  }

  /** `${ expr }` inside a template, at `$`. */
  private interpolation(): HclExpr {
    this.pos += 2;
    this.skip();
    if (this.s[this.pos] === '~') this.pos++;
    const e = this.expr();
    this.skip();
    if (this.s[this.pos] === '~') this.pos++;
    if (this.s[this.pos] !== '}') this.fail('an interpolation ${ is not closed with }');
    this.pos++;
    return e;
  }

  /** `<<EOT` / `<<-EOT` heredoc, as a literal (interpolation inside heredocs is not evaluated). */
  private heredoc(): HclExpr {
    const m = /<<(-?)([A-Za-z_][A-Za-z0-9_]*)[ \t]*\r?\n/y;
    m.lastIndex = this.pos;
    const h = m.exec(this.s);
    if (!h) this.fail('a heredoc needs <<NAME and a newline');
    const bodyStart = this.pos + h[0].length;
    const end = new RegExp(`^[ \\t]*${h[2]}[ \\t]*$`, 'm');
    const rest = this.s.slice(bodyStart);
    const e = end.exec(rest);
    if (!e) this.fail(`heredoc ${h[2]} is not closed`);
    let lines = rest
      .slice(0, e.index)
      .replace(/\r?\n$/, '')
      .split(/\r?\n/);
    if (h[1] === '-') {
      const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => /^[ \t]*/.exec(l)![0].length));
      lines = lines.map((l) => l.slice(Number.isFinite(indent) ? indent : 0));
    }
    this.pos = bodyStart + e.index + e[0].length;
    return { t: 'lit', v: lines.join('\n') + '\n' };
  }
}

/** The expression written back as HCL-ish text, for messages and unresolved values. */
export function exprText(e: HclExpr): string {
  switch (e.t) {
    case 'lit':
      return e.v === null ? 'null' : String(e.v);
    case 'tmpl':
      return e.parts.map((p) => (typeof p === 'string' ? p : `\${${exprText(p)}}`)).join('');
    case 'list':
      return `[${e.items.map(exprText).join(', ')}]`;
    case 'obj':
      return `{${e.entries.map(([k, v]) => `${k} = ${exprText(v)}`).join(', ')}}`;
    case 'ref':
      return e.path.join('.');
    case 'raw':
      return e.text;
  }
}
