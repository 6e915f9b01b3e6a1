/**
 * Shell analysis of RUN scripts with tree-sitter-bash (WASM, error tolerant, ~0.2 ms a script).
 * Produces the flat list of simple commands with their words, redirections and connectors,
 * which is what rules ask about ("is there an apt-get install without -y after an update?").
 */
import { createRequire } from 'node:module';
import { Language, type Node, Parser } from 'web-tree-sitter';
import type { ShellCommand, ShellRedirect, ShellScript, ShellWord } from './types.js';

const require = createRequire(import.meta.url);
await Parser.init();
const bash = await Language.load(require.resolve('tree-sitter-bash/tree-sitter-bash.wasm'));
const parser = new Parser();
parser.setLanguage(bash);

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

/**
 * Parses `text` as bash. `firstLine` is the file line of the text's first line, so positions
 * in the result are file positions.
 */
export function parseShell(text: string, firstLine = 1): ShellScript {
  const tree = parser.parse(text);
  if (!tree) return { text, commands: [], setsPipefail: false, hasErrors: true, assigned: [] };
  const commands: ShellCommand[] = [];
  const assigned: string[] = [];
  let pipelineCount = 0;
  const line = (n: Node) => n.startPosition.row + firstLine;
  const col = (n: Node) => n.startPosition.column + 1;

  const visit = (node: Node, connector: string, nested: boolean, pipe?: { id: number; pos: number; len: number }) => {
    switch (node.type) {
      case 'program':
      case 'list': {
        let op = connector;
        for (const child of node.children) {
          if (!child) continue;
          if (child.type === '&&' || child.type === '||' || child.type === ';' || child.type === '&') {
            op = child.type;
            continue;
          }
          if (child.type === '\n') {
            op = ';';
            continue;
          }
          visit(child, op, nested);
          op = ';';
        }
        return;
      }
      case 'pipeline': {
        const parts = node.namedChildren.filter((c): c is Node => !!c);
        const id = pipelineCount++;
        parts.forEach((c, i) => visit(c, i === 0 ? connector : '|', nested, { id, pos: i, len: parts.length }));
        return;
      }
      case 'redirected_statement': {
        const body = node.childForFieldName('body');
        const before = commands.length;
        if (body) visit(body, connector, nested, pipe);
        const redirects = node.namedChildren
          .filter((c): c is Node => !!c && c !== body && /redirect/.test(c.type))
          .map((r) => redirectOf(r, line, col));
        if (commands.length > before) commands[commands.length - 1].redirects.push(...redirects);
        return;
      }
      case 'command': {
        commands.push(commandOf(node, connector, nested, pipe ?? { id: pipelineCount++, pos: 0, len: 1 }, line, col));
        // Command substitutions inside arguments run too.
        for (const child of node.namedChildren) if (child) visitNested(child);
        return;
      }
      case 'variable_assignment':
        assigned.push(node.childForFieldName('name')?.text ?? '');
        return;
      case 'declaration_command':
        for (const c of node.namedChildren) {
          if (c?.type === 'variable_assignment') assigned.push(c.childForFieldName('name')?.text ?? '');
        }
        commands.push(commandOf(node, connector, nested, pipe ?? { id: pipelineCount++, pos: 0, len: 1 }, line, col));
        return;
      case 'negated_command':
        for (const c of node.namedChildren) if (c) visit(c, connector, nested, pipe);
        return;
      default:
        if (NESTING.has(node.type) || node.namedChildCount > 0) {
          const inner = nested || NESTING.has(node.type);
          let first = true;
          for (const c of node.namedChildren) {
            if (!c) continue;
            visit(c, first ? connector : ';', inner);
            first = false;
          }
        }
    }
  };
  const visitNested = (node: Node) => {
    if (node.type === 'command_substitution' || node.type === 'process_substitution') {
      for (const c of node.namedChildren) if (c) visit(c, '', true);
      return;
    }
    for (const c of node.namedChildren) if (c) visitNested(c);
  };

  visit(tree.rootNode, '', false);
  const hasErrors = tree.rootNode.hasError;
  tree.delete();
  return { text, commands, setsPipefail: detectPipefail(commands), hasErrors, assigned };
}

function commandOf(
  node: Node,
  connector: string,
  nested: boolean,
  pipe: { id: number; pos: number; len: number },
  line: (n: Node) => number,
  col: (n: Node) => number,
): ShellCommand {
  const nameNode = node.childForFieldName('name');
  const name = nameNode ? wordOf(nameNode, line, col).value : node.children[0]?.text ?? '';
  const args: ShellWord[] = [];
  const assignments: Record<string, string> = {};
  const redirects: ShellRedirect[] = [];
  for (const child of node.namedChildren) {
    if (!child || child === nameNode) continue;
    if (child.type === 'variable_assignment') {
      const k = child.childForFieldName('name')?.text ?? '';
      const v = child.childForFieldName('value');
      assignments[k] = v ? wordOf(v, line, col).value : '';
    } else if (/redirect/.test(child.type)) redirects.push(redirectOf(child, line, col));
    else if (child.type !== 'command_name') args.push(wordOf(child, line, col));
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
    line: line(node),
    column: col(node),
    text: node.text,
  };
}

function redirectOf(node: Node, line: (n: Node) => number, col: (n: Node) => number): ShellRedirect {
  const op = node.children.find((c) => c && !c.isNamed)?.text ?? '>';
  const dest = node.childForFieldName('destination') ?? node.namedChildren.find((c) => c?.type !== 'file_descriptor');
  return { operator: op, target: dest ? wordOf(dest, line, col).value : '', line: line(node), column: col(node) };
}

function wordOf(node: Node, line: (n: Node) => number, col: (n: Node) => number): ShellWord {
  const raw = node.text;
  const { value, dynamic } = literal(node);
  return { value, raw, quoted: /["']/.test(raw), dynamic, line: line(node), column: col(node) };
}

/** The word's value with quotes removed; expansions are kept as written and mark it dynamic. */
function literal(node: Node): { value: string; dynamic: boolean } {
  switch (node.type) {
    case 'word':
    case 'number':
    case 'command_name':
    case 'string_content': {
      if (node.type === 'command_name' && node.namedChildCount) return literal(node.namedChildren[0]!);
      const v = node.text.replace(/\\(.)/g, '$1');
      return { value: v, dynamic: /[*?[]/.test(v) && node.type === 'word' };
    }
    case 'raw_string':
      return { value: node.text.slice(1, -1), dynamic: false };
    case 'ansi_c_string':
      return { value: node.text.slice(2, -1), dynamic: false };
    case 'string': {
      let value = '';
      let dynamic = false;
      // Content between the quotes, keeping text the parser does not give as children.
      const inner = node.text.slice(1, -1);
      const parts = node.namedChildren.filter((c): c is Node => !!c);
      if (parts.every((p) => p.type === 'string_content')) return { value: inner, dynamic: false };
      for (const p of parts) if (p.type !== 'string_content') dynamic = true;
      value = inner;
      return { value, dynamic };
    }
    case 'concatenation': {
      let value = '';
      let dynamic = false;
      for (const c of node.children) {
        if (!c) continue;
        const l = literal(c);
        value += l.value;
        dynamic ||= l.dynamic;
      }
      return { value, dynamic };
    }
    default:
      return { value: node.text, dynamic: true };
  }
}

function detectPipefail(commands: ShellCommand[]): boolean {
  return commands.some(
    (c) =>
      c.program === 'set' &&
      c.args.some(
        (a, i) => (a.value === 'pipefail' && c.args[i - 1]?.value.startsWith('-')) || /^-[a-z]*o$/.test(a.value),
      ) &&
      c.args.some((a) => a.value === 'pipefail'),
  );
}
