/**
 * Shell analysis of RUN scripts with tree-sitter-bash (WASM, error tolerant).
 * Produces the flat list of simple commands with their words, redirections and connectors,
 * which is what rules ask about ("is there an apt-get install without -y after an update?").
 *
 * The syntax tree is copied once into plain objects with a TreeCursor: every access to a
 * tree-sitter Node crosses into WASM and allocates, and walking Nodes directly cost more than
 * the parse itself.
 */
import type { TreeCursor } from 'web-tree-sitter';
import { shellParser } from './shell-load.js';
import type { ShellCommand, ShellRedirect, ShellScript, ShellWord } from './types.js';

/** A syntax node as plain data. */
interface PNode {
  type: string;
  named: boolean;
  /** Field name of this node within its parent (`name`, `argument`, `destination`, ...). */
  field: string | null;
  start: number;
  end: number;
  row: number;
  col: number;
  children: PNode[];
}

/** Node types whose children rules never need: their text says it all. */
const LEAVES = new Set([
  'word',
  'raw_string',
  'string_content',
  'number',
  'comment',
  'ansi_c_string',
  'heredoc_body',
  'heredoc_content',
]);

function nodeAt(cursor: TreeCursor): PNode {
  const pos = cursor.startPosition;
  return {
    type: cursor.nodeType,
    named: cursor.nodeIsNamed,
    field: cursor.currentFieldName,
    start: cursor.startIndex,
    end: cursor.endIndex,
    row: pos.row,
    col: pos.column,
    children: [],
  };
}

/** Copies the tree without recursion: `a && b && ...` nests one level per operator. */
function copyTree(cursor: TreeCursor): PNode {
  const root = nodeAt(cursor);
  const stack: PNode[] = [root];
  for (;;) {
    const current = stack[stack.length - 1];
    if (!LEAVES.has(current.type) && cursor.gotoFirstChild()) {
      const child = nodeAt(cursor);
      current.children.push(child);
      stack.push(child);
      continue;
    }
    for (;;) {
      if (stack.length === 1) return root;
      if (cursor.gotoNextSibling()) {
        stack.pop();
        const sibling = nodeAt(cursor);
        stack[stack.length - 1].children.push(sibling);
        stack.push(sibling);
        break;
      }
      cursor.gotoParent();
      stack.pop();
    }
  }
}

/** Children of a `list` with nested left-hand lists flattened (`a && b && c` nests leftwards). */
function flattenList(node: PNode): PNode[] {
  const tails: PNode[][] = [];
  let cur = node;
  while (cur.type === 'list' && cur.children[0]?.type === 'list') {
    tails.push(cur.children.slice(1));
    cur = cur.children[0];
  }
  const out = [...cur.children];
  for (let i = tails.length - 1; i >= 0; i--) out.push(...tails[i]);
  return out;
}

const NESTING = new Set([
  'subshell',
  'compound_statement',
  'if_statement',
  'elif_clause',
  'else_clause',
  'for_statement',
  'c_style_for_statement',
  'while_statement',
  'case_statement',
  'function_definition',
  'command_substitution',
  'process_substitution',
]);

const named = (n: PNode) => n.children.filter((c) => c.named);
const field = (n: PNode, name: string) => n.children.find((c) => c.field === name);

/**
 * Parses `text` as bash. `firstLine` is the file line of the text's first line, so positions
 * in the result are file positions. Needs `loadShell()` first (throws `ShellNotLoadedError`).
 */
export function parseShell(text: string, firstLine = 1): ShellScript {
  const tree = shellParser().parse(text);
  if (!tree) return { text, line: firstLine, commands: [], setsPipefail: false, hasErrors: true, assigned: [] };
  const cursor = tree.walk();
  const root = copyTree(cursor);
  const hasErrors = tree.rootNode.hasError;
  cursor.delete();
  tree.delete();

  const commands: ShellCommand[] = [];
  const assigned: string[] = [];
  let pipelineCount = 0;
  const src = (n: PNode) => text.slice(n.start, n.end);

  const visit = (node: PNode, connector: string, nested: boolean, pipe?: { id: number; pos: number; len: number }) => {
    switch (node.type) {
      case 'program':
      case 'list': {
        let op = connector;
        for (const child of node.type === 'list' ? flattenList(node) : node.children) {
          const t = child.type;
          if (t === '&&' || t === '||' || t === ';' || t === '&' || t === ';;') {
            op = t;
            continue;
          }
          if (t === '\n') {
            op = ';';
            continue;
          }
          if (t === 'comment') continue;
          visit(child, op, nested);
          op = ';';
        }
        return;
      }
      case 'pipeline': {
        const parts = named(node);
        const id = pipelineCount++;
        parts.forEach((c, i) => visit(c, i === 0 ? connector : '|', nested, { id, pos: i, len: parts.length }));
        return;
      }
      case 'redirected_statement': {
        const body = field(node, 'body');
        const before = commands.length;
        if (body) visit(body, connector, nested, pipe);
        const redirectNodes = named(node).filter((c) => c !== body && c.type.includes('redirect'));
        if (commands.length > before) {
          const last = commands[commands.length - 1];
          for (const r of redirectNodes) {
            last.redirects.push(redirectOf(r, text, firstLine));
            // `cmd >out a b`: bash passes a and b as arguments; tree-sitter hangs them on the redirect.
            last.args.push(...redirectExtraWords(r, text, firstLine));
          }
        }
        return;
      }
      case 'command':
        commands.push(
          commandOf(node, connector, nested, pipe ?? { id: pipelineCount++, pos: 0, len: 1 }, text, firstLine),
        );
        // Command substitutions inside arguments run too.
        for (const child of named(node)) visitNested(child);
        return;
      case 'variable_assignment': {
        const name = field(node, 'name');
        if (name) assigned.push(src(name));
        for (const child of named(node)) visitNested(child);
        return;
      }
      case 'declaration_command':
        for (const c of named(node)) {
          if (c.type === 'variable_assignment') {
            const name = field(c, 'name');
            if (name) assigned.push(src(name));
          }
        }
        commands.push(
          commandOf(node, connector, nested, pipe ?? { id: pipelineCount++, pos: 0, len: 1 }, text, firstLine),
        );
        return;
      case 'negated_command':
        for (const c of named(node)) visit(c, connector, nested, pipe);
        return;
      default: {
        const kids = named(node);
        if (!kids.length) return;
        const inner = nested || NESTING.has(node.type);
        let first = true;
        for (const c of kids) {
          visit(c, first ? connector : ';', inner);
          first = false;
        }
      }
    }
  };
  const visitNested = (node: PNode) => {
    if (node.type === 'command_substitution' || node.type === 'process_substitution') {
      for (const c of named(node)) visit(c, '', true);
      return;
    }
    for (const c of node.children) if (c.named) visitNested(c);
  };

  try {
    visit(root, '', false);
  } catch (e) {
    // Pathological nesting (thousands of subshells) exhausts the stack; keep what was found.
    if (!(e instanceof RangeError)) throw e;
    return { text, line: firstLine, commands, setsPipefail: detectPipefail(commands), hasErrors: true, assigned };
  }
  return { text, line: firstLine, commands, setsPipefail: detectPipefail(commands), hasErrors, assigned };
}

function commandOf(
  node: PNode,
  connector: string,
  nested: boolean,
  pipe: { id: number; pos: number; len: number },
  text: string,
  firstLine: number,
): ShellCommand {
  const nameNode = field(node, 'name');
  const name = nameNode
    ? wordOf(nameNode, text, firstLine).value
    : text.slice(node.children[0]?.start ?? node.start, node.children[0]?.end ?? node.start);
  const args: ShellWord[] = [];
  const assignments: Record<string, string> = {};
  const redirects: ShellRedirect[] = [];
  for (const child of node.children) {
    if (!child.named || child === nameNode) continue;
    if (child.type === 'variable_assignment') {
      const k = field(child, 'name');
      const v = field(child, 'value');
      assignments[k ? text.slice(k.start, k.end) : ''] = v ? wordOf(v, text, firstLine).value : '';
    } else if (child.type.includes('redirect')) {
      redirects.push(redirectOf(child, text, firstLine));
      args.push(...redirectExtraWords(child, text, firstLine));
    } else if (child.type !== 'command_name' && child.type !== 'comment') args.push(wordOf(child, text, firstLine));
  }
  const program = name.split('/').pop() ?? name;
  return {
    name,
    program,
    args,
    assignments,
    redirects,
    pipeline: pipe.id,
    pipelinePosition: pipe.pos,
    pipelineLength: pipe.len,
    connector,
    nested,
    line: node.row + firstLine,
    column: node.col + 1,
    text: text.slice(node.start, node.end),
  };
}

/** Words after a redirect's target (`>out a b`): arguments of the command, not part of the target. */
function redirectExtraWords(node: PNode, text: string, firstLine: number): ShellWord[] {
  if (node.type !== 'file_redirect') return [];
  const dests = node.children.filter((c) => c.field === 'destination');
  return dests.slice(1).map((d) => wordOf(d, text, firstLine));
}

function redirectOf(node: PNode, text: string, firstLine: number): ShellRedirect {
  const opNode = node.children.find((c) => !c.named);
  const dest = field(node, 'destination') ?? node.children.find((c) => c.named && c.type !== 'file_descriptor');
  return {
    operator: opNode ? text.slice(opNode.start, opNode.end) : '>',
    target: dest ? wordOf(dest, text, firstLine).value : '',
    line: node.row + firstLine,
    column: node.col + 1,
  };
}

function wordOf(node: PNode, text: string, firstLine: number): ShellWord {
  const raw = text.slice(node.start, node.end);
  const { value, dynamic } = literal(node, text);
  return {
    value,
    raw,
    quoted: raw.includes('"') || raw.includes("'"),
    dynamic,
    line: node.row + firstLine,
    column: node.col + 1,
  };
}

/** The word's value with quotes removed; expansions are kept as written and mark it dynamic. */
function literal(node: PNode, text: string): { value: string; dynamic: boolean } {
  const raw = text.slice(node.start, node.end);
  switch (node.type) {
    case 'command_name': {
      const inner = node.children.find((c) => c.named);
      return inner ? literal(inner, text) : { value: raw, dynamic: false };
    }
    case 'word':
    case 'number':
    case 'string_content': {
      const v = raw.replace(/\\(.)/g, '$1');
      return { value: v, dynamic: node.type === 'word' && /[*?[]/.test(v) };
    }
    case 'raw_string':
      return { value: raw.slice(1, -1), dynamic: false };
    case 'ansi_c_string':
      return { value: raw.slice(2, -1), dynamic: false };
    case 'string': {
      const dynamic = node.children.some((c) => c.named && c.type !== 'string_content');
      return { value: raw.slice(1, -1), dynamic };
    }
    case 'concatenation': {
      let value = '';
      let dynamic = false;
      for (const c of node.children) {
        const l = literal(c, text);
        value += l.value;
        dynamic ||= l.dynamic;
      }
      return { value, dynamic };
    }
    default:
      return { value: raw, dynamic: true };
  }
}

function detectPipefail(commands: ShellCommand[]): boolean {
  return commands.some(
    (c) =>
      c.program === 'set' &&
      c.args.some((a) => a.value === 'pipefail') &&
      c.args.some(
        (a, i) =>
          a.value !== 'pipefail' &&
          a.value.startsWith('-') &&
          (/o$/.test(a.value) || c.args[i + 1]?.value === 'pipefail'),
      ),
  );
}
