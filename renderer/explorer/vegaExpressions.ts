/**
 * Vega expressions without eval, fast enough for thousands of marks. The app's CSP forbids the
 * code vega generates, so charts run vega's expression ASTs (`ast: true`). vega-interpreter walks
 * the AST again for every channel of every item and allocates a scope each time: on a 40×40
 * heatmap that is most of the drawing time. Here each AST is turned once into nested closures;
 * per item only the closures run. Same language, same lookups (vega's function table first, then
 * the built-ins), and the same guards against reaching `Function`/`eval` or setting prototype
 * properties. Any expression using something not handled here (a rare built-in, an unknown node
 * or operator) and all event/handler expressions (interaction) go to vega-interpreter unchanged.
 */
import { DisallowedObjectProperties } from 'vega';
import { expressionInterpreter } from 'vega-interpreter';

/** The ESTree subset vega-expression parses into. */
interface Node {
  type: string;
  [key: string]: unknown;
}
type Fields = Record<string, unknown>;
/** A compiled expression: reads the datum, the scenegraph item and the parameters (signals). */
type Compiled = (datum: Fields | undefined, item: Fields | undefined, params: Fields | undefined) => unknown;
/** What vega's runtime context offers an expression: its function table. */
interface RuntimeContext {
  functions: Record<string, (...args: unknown[]) => unknown>;
}
interface ExpressionRef {
  ast: Node;
}
interface EncodeRef {
  marktype: string;
  channels: Record<string, ExpressionRef>;
}

/** Not supported here: the caller falls back to vega-interpreter. */
class Unsupported extends Error {}

const CONSTANTS: Record<string, number> = {
  NaN: NaN, E: Math.E, LN2: Math.LN2, LN10: Math.LN10, LOG2E: Math.LOG2E, LOG10E: Math.LOG10E, PI: Math.PI,
  SQRT1_2: Math.SQRT1_2, SQRT2: Math.SQRT2, MIN_VALUE: Number.MIN_VALUE, MAX_VALUE: Number.MAX_VALUE,
};

/** The expression language's built-ins that vega leaves to the evaluator (the common ones; others fall back). */
const BUILTINS: Record<string, (...args: never[]) => unknown> = {
  isNaN: Number.isNaN, isFinite: Number.isFinite,
  abs: Math.abs, acos: Math.acos, asin: Math.asin, atan: Math.atan, atan2: Math.atan2, ceil: Math.ceil, cos: Math.cos,
  exp: Math.exp, floor: Math.floor, hypot: Math.hypot, log: Math.log, max: Math.max, min: Math.min, pow: Math.pow,
  random: Math.random, round: Math.round, sin: Math.sin, sqrt: Math.sqrt, tan: Math.tan,
  clamp: (value: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, value)),
  now: Date.now, utc: Date.UTC,
  length: (x: { length: number }) => x.length,
  join: (list: unknown[], ...rest: [string?]) => list.join(...rest),
  parseFloat, parseInt,
  upper: (x: unknown) => String(x).toUpperCase(),
  lower: (x: unknown) => String(x).toLowerCase(),
  trim: (x: unknown) => String(x).trim(),
};

/** Values an expression may never reach (they would run arbitrary code). */
const DISALLOWED_VALUES = new Set<unknown>([Function, eval, setTimeout, setInterval]);
const { setImmediate } = globalThis as { setImmediate?: unknown };
if (typeof setImmediate === 'function') DISALLOWED_VALUES.add(setImmediate);

function guarded(value: unknown, what: string): unknown {
  if (DISALLOWED_VALUES.has(value)) {
    console.error(`Prevented evaluation of ${what}, which could run arbitrary code`);
    return undefined;
  }
  return value;
}

const BINARY: Record<string, (l: Compiled, r: Compiled) => Compiled> = {
  '+': (l, r) => (d, i, p) => (l(d, i, p) as number) + (r(d, i, p) as number),
  '-': (l, r) => (d, i, p) => (l(d, i, p) as number) - (r(d, i, p) as number),
  '*': (l, r) => (d, i, p) => (l(d, i, p) as number) * (r(d, i, p) as number),
  '/': (l, r) => (d, i, p) => (l(d, i, p) as number) / (r(d, i, p) as number),
  '%': (l, r) => (d, i, p) => (l(d, i, p) as number) % (r(d, i, p) as number),
  '<': (l, r) => (d, i, p) => (l(d, i, p) as number) < (r(d, i, p) as number),
  '>': (l, r) => (d, i, p) => (l(d, i, p) as number) > (r(d, i, p) as number),
  '<=': (l, r) => (d, i, p) => (l(d, i, p) as number) <= (r(d, i, p) as number),
  '>=': (l, r) => (d, i, p) => (l(d, i, p) as number) >= (r(d, i, p) as number),
  '==': (l, r) => (d, i, p) => l(d, i, p) == r(d, i, p),
  '!=': (l, r) => (d, i, p) => l(d, i, p) != r(d, i, p),
  '===': (l, r) => (d, i, p) => l(d, i, p) === r(d, i, p),
  '!==': (l, r) => (d, i, p) => l(d, i, p) !== r(d, i, p),
  '&': (l, r) => (d, i, p) => (l(d, i, p) as number) & (r(d, i, p) as number),
  '|': (l, r) => (d, i, p) => (l(d, i, p) as number) | (r(d, i, p) as number),
  '^': (l, r) => (d, i, p) => (l(d, i, p) as number) ^ (r(d, i, p) as number),
  '<<': (l, r) => (d, i, p) => (l(d, i, p) as number) << (r(d, i, p) as number),
  '>>': (l, r) => (d, i, p) => (l(d, i, p) as number) >> (r(d, i, p) as number),
  '>>>': (l, r) => (d, i, p) => (l(d, i, p) as number) >>> (r(d, i, p) as number),
};

const UNARY: Record<string, (a: Compiled) => Compiled> = {
  '+': (a) => (d, i, p) => +(a(d, i, p) as number),
  '-': (a) => (d, i, p) => -(a(d, i, p) as number),
  '~': (a) => (d, i, p) => ~(a(d, i, p) as number),
  '!': (a) => (d, i, p) => !a(d, i, p),
};

/** The name an object-literal key or a dotted member stands for. */
function propertyName(node: Node): string | number {
  if (node.type === 'Identifier') return node.name as string;
  if (node.type === 'Literal' && (typeof node.value === 'string' || typeof node.value === 'number')) return node.value;
  throw new Unsupported(`property ${node.type}`);
}

/** Compiles an AST into a closure; throws Unsupported for anything it does not handle. */
function compile(node: Node, fns: RuntimeContext['functions']): Compiled {
  const sub = (n: unknown): Compiled => compile(n as Node, fns);
  switch (node.type) {
    case 'Literal': {
      const value = node.value;
      const regex = node.regex as { pattern: string; flags: string } | undefined;
      // A global or sticky regexp carries lastIndex across calls: a fresh one per evaluation.
      if (regex && value instanceof RegExp && (value.global || value.sticky)) return () => new RegExp(regex.pattern, regex.flags);
      return () => value;
    }
    case 'Identifier': {
      const name = node.name as string;
      if (name === 'datum') return (d) => d;
      if (name === 'item') return (_d, i) => i;
      if (name === 'event') throw new Unsupported('event');
      if (Object.hasOwn(CONSTANTS, name)) {
        const value = CONSTANTS[name];
        return () => value;
      }
      const key = `$${name}`;
      return (_d, _i, p) => p?.[key];
    }
    case 'MemberExpression': {
      const object = sub(node.object);
      if (!node.computed) {
        const key = propertyName(node.property as Node);
        return (d, i, p) => guarded((object(d, i, p) as Fields)[key], `member "${key}"`);
      }
      const property = sub(node.property);
      return (d, i, p) => {
        const o = object(d, i, p) as Fields;
        const key = property(d, i, p) as string;
        return guarded(o[key], `member "${key}"`);
      };
    }
    case 'CallExpression': {
      const callee = node.callee as Node;
      if (callee.type !== 'Identifier') throw new Unsupported('callee');
      // Encoders call internal twins of the public functions (`_scale` for `scale`).
      const name = (callee.name as string).replace(/^_/, '');
      const args = (node.arguments as Node[]).map(sub);
      if (name === 'if') {
        const [test, yes, no] = args;
        return (d, i, p) => (test(d, i, p) ? yes(d, i, p) : no(d, i, p));
      }
      if (DisallowedObjectProperties.has(name)) throw new Unsupported(`function ${name}`);
      const fn = (fns[name] ?? (Object.hasOwn(BUILTINS, name) ? BUILTINS[name] : undefined)) as ((...a: unknown[]) => unknown) | undefined;
      if (typeof fn !== 'function') throw new Unsupported(`function ${name}`);
      switch (args.length) {
        case 0: return () => fn.call(fns);
        case 1: { const [a] = args; return (d, i, p) => fn.call(fns, a(d, i, p)); }
        case 2: { const [a, b] = args; return (d, i, p) => fn.call(fns, a(d, i, p), b(d, i, p)); }
        case 3: { const [a, b, c] = args; return (d, i, p) => fn.call(fns, a(d, i, p), b(d, i, p), c(d, i, p)); }
        default: return (d, i, p) => fn.apply(fns, args.map((a) => a(d, i, p)));
      }
    }
    case 'ArrayExpression': {
      const elements = (node.elements as Node[]).map(sub);
      return (d, i, p) => elements.map((e) => e(d, i, p));
    }
    case 'BinaryExpression': {
      const make = Object.hasOwn(BINARY, node.operator as string) ? BINARY[node.operator as string] : undefined;
      if (!make) throw new Unsupported(`operator ${String(node.operator)}`);
      return make(sub(node.left), sub(node.right));
    }
    case 'UnaryExpression': {
      const make = Object.hasOwn(UNARY, node.operator as string) ? UNARY[node.operator as string] : undefined;
      if (!make) throw new Unsupported(`operator ${String(node.operator)}`);
      return make(sub(node.argument));
    }
    case 'LogicalExpression': {
      const left = sub(node.left);
      const right = sub(node.right);
      if (node.operator === '&&') return (d, i, p) => left(d, i, p) && right(d, i, p);
      if (node.operator === '||') return (d, i, p) => left(d, i, p) || right(d, i, p);
      throw new Unsupported(`operator ${String(node.operator)}`);
    }
    case 'ConditionalExpression': {
      const test = sub(node.test);
      const yes = sub(node.consequent);
      const no = sub(node.alternate);
      return (d, i, p) => (test(d, i, p) ? yes(d, i, p) : no(d, i, p));
    }
    case 'ObjectExpression': {
      const properties: [string | number, Compiled][] = [];
      for (const prop of node.properties as Node[]) {
        const key = propertyName(prop.key as Node);
        if (DisallowedObjectProperties.has(String(key))) {
          console.error(`Prevented evaluation of property "${key}", which could run arbitrary code`);
          continue;
        }
        properties.push([key, sub(prop.value)]);
      }
      return (d, i, p) => {
        const out: Fields = {};
        for (const [key, value] of properties) {
          const v = value(d, i, p);
          if (DISALLOWED_VALUES.has(v)) console.error(`Prevented evaluation of method "${key}", which could run arbitrary code`);
          else out[key] = v;
        }
        return out;
      };
    }
    default:
      throw new Unsupported(node.type);
  }
}

function tryCompile(node: Node, ctx: RuntimeContext): Compiled | undefined {
  try {
    return compile(node, ctx.functions);
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
}

/** x2/y2/xc/yc into x/y/width/height, as vega's own encoders do after the channels. */
function adjustSpatial(item: Fields & { x?: number; x2?: number; y?: number; y2?: number; width?: number; height?: number; xc?: number; yc?: number }, channels: Record<string, unknown>, swap: boolean): void {
  let t: number | undefined;
  if (channels.x2) {
    if (channels.x) {
      if (swap && item.x! > item.x2!) { t = item.x; item.x = item.x2; item.x2 = t; }
      item.width = item.x2! - item.x!;
    } else {
      item.x = item.x2! - (item.width || 0);
    }
  }
  if (channels.xc) item.x = item.xc! - (item.width || 0) / 2;
  if (channels.y2) {
    if (channels.y) {
      if (swap && item.y! > item.y2!) { t = item.y; item.y = item.y2; item.y2 = t; }
      item.height = item.y2! - item.y!;
    } else {
      item.y = item.y2! - (item.height || 0);
    }
  }
  if (channels.yc) item.y = item.yc! - (item.height || 0) / 2;
}

/** The `expr` option of a vega View: compiled closures where possible, vega-interpreter otherwise. */
export const vegaExpressions = {
  operator(ctx: RuntimeContext, expr: ExpressionRef): unknown {
    const f = tryCompile(expr.ast, ctx);
    return f ? (params: Fields) => f(undefined, undefined, params) : expressionInterpreter.operator(ctx, expr);
  },
  parameter(ctx: RuntimeContext, expr: ExpressionRef): unknown {
    const f = tryCompile(expr.ast, ctx);
    return f ? (datum: Fields, params: Fields) => f(datum, undefined, params) : expressionInterpreter.parameter(ctx, expr);
  },
  event(ctx: RuntimeContext, expr: ExpressionRef): unknown {
    return expressionInterpreter.event(ctx, expr);
  },
  handler(ctx: RuntimeContext, expr: ExpressionRef): unknown {
    return expressionInterpreter.handler(ctx, expr);
  },
  encode(ctx: RuntimeContext, encode: EncodeRef): unknown {
    const channels: [string, Compiled][] = [];
    for (const [name, channel] of Object.entries(encode.channels)) {
      const f = tryCompile(channel.ast, ctx);
      if (!f) return expressionInterpreter.encode(ctx, encode);
      channels.push([name, f]);
    }
    const { marktype } = encode;
    const swap = marktype === 'group' || marktype === 'image' || marktype === 'rect';
    const spatial = marktype !== 'rule';
    return (item: Fields, params: Fields): number => {
      const datum = item.datum as Fields | undefined;
      let modified = 0;
      for (const [name, f] of channels) {
        const value = f(datum, item, params);
        if (item[name] !== value) {
          item[name] = value;
          modified = 1;
        }
      }
      if (spatial) adjustSpatial(item, encode.channels, swap);
      return modified;
    };
  },
};
