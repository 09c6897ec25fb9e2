// Python %-format with a mapping (`s % expansions`), which is how supervisord
// expands `%(name)s` in config values (options.py `expand`).
import { ValueProblem } from './errors.ts';

export type ExpansionValue = string | number;
export type Expansions = Readonly<Record<string, ExpansionValue>>;

// Lists the names a value may use; the ENV_ names are summarised when there are
// many (supervisord prints every one of them, which buries the useful ones).
export function describeNames(names: Expansions): string {
  const all = Object.keys(names).sort();
  const plain = all.filter((name) => !name.startsWith('ENV_'));
  const env = all.filter((name) => name.startsWith('ENV_'));
  const envPart = env.length <= 12 ? env : [`ENV_<NAME> for each of ${env.length} environment variables`];
  return [...plain, ...envPart].join(', ');
}

// Python's repr() of a str: single quotes unless the text has ' and no ".
function pyRepr(value: ExpansionValue): string {
  if (typeof value === 'number') return String(value);
  const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
  const body = value
    .replace(/\\/g, '\\\\')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
    .replace(new RegExp(quote, 'g'), `\\${quote}`);
  return `${quote}${body}${quote}`;
}

function pyExponential(value: number, precision: number, upper: boolean): string {
  const [mantissa, exponent] = value.toExponential(precision).split('e') as [string, string];
  const sign = exponent.startsWith('-') ? '-' : '+';
  const digits = exponent.replace(/^[+-]/, '').padStart(2, '0');
  const text = `${mantissa}e${sign}${digits}`;
  return upper ? text.toUpperCase() : text;
}

interface Spec {
  flags: string;
  width: number;
  precision: number | undefined;
  conversion: string;
}

function formatNumber(value: number, spec: Spec): { sign: string; prefix: string; body: string } {
  const { flags, precision, conversion } = spec;
  const negative = value < 0 || Object.is(value, -0);
  const magnitude = Math.abs(value);
  let prefix = '';
  let body: string;
  switch (conversion) {
    case 'd':
    case 'i':
    case 'u':
      body = Math.trunc(magnitude).toString();
      break;
    case 'o':
    case 'x':
    case 'X':
      if (!Number.isInteger(value)) throw new ValueProblem(`%${conversion} format: an integer is required`);
      body = magnitude.toString(conversion === 'o' ? 8 : 16);
      if (conversion === 'X') body = body.toUpperCase();
      if (flags.includes('#')) prefix = conversion === 'o' ? '0o' : conversion === 'x' ? '0x' : '0X';
      break;
    case 'f':
    case 'F':
      body = magnitude.toFixed(precision ?? 6);
      break;
    case 'e':
    case 'E':
      body = pyExponential(magnitude, precision ?? 6, conversion === 'E');
      break;
    default: {
      // g/G: exponent decides between fixed and exponential (Python's rules).
      const significant = precision === undefined ? 6 : Math.max(precision, 1);
      const exponent = magnitude === 0 ? 0 : Math.floor(Math.log10(magnitude));
      body =
        exponent >= -4 && exponent < significant
          ? magnitude.toFixed(Math.max(significant - 1 - exponent, 0))
          : pyExponential(magnitude, significant - 1, conversion === 'G');
      if (!flags.includes('#') && body.includes('.')) body = body.replace(/\.?0+(?=$|[eE])/, '');
    }
  }
  if (precision !== undefined && 'diuoxX'.includes(conversion)) body = body.padStart(precision, '0');
  const sign = negative ? '-' : flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '';
  return { sign, prefix, body };
}

function formatOne(value: ExpansionValue, spec: Spec): string {
  const { flags, width, precision, conversion } = spec;
  const pad = (text: string): string => (flags.includes('-') ? text.padEnd(width) : text.padStart(width));
  if (conversion === 's' || conversion === 'r' || conversion === 'a') {
    const text = conversion === 's' ? String(value) : pyRepr(value);
    return pad(precision === undefined ? text : text.slice(0, precision));
  }
  if (conversion === 'c') {
    if (typeof value === 'number') return pad(String.fromCodePoint(value));
    if ([...value].length === 1) return pad(value);
    throw new ValueProblem('%c requires an int or a unicode character, not a longer string');
  }
  if (typeof value !== 'number') {
    throw new ValueProblem(`%${conversion} format: a real number is required, not str (use %s for this name)`);
  }
  const { sign, prefix, body } = formatNumber(value, spec);
  if (flags.includes('0') && !flags.includes('-')) {
    return sign + prefix + body.padStart(width - sign.length - prefix.length, '0');
  }
  return pad(sign + prefix + body);
}

const SPEC = /^([-+ #0]*)(\d*)(?:\.(\d*))?[hlL]?([a-zA-Z%]?)/;

// Expands `template` like Python's `template % names`. Throws ValueProblem naming
// the unknown name and listing the available ones, or what is badly formatted.
export function expand(template: string, names: Expansions): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const percent = template.indexOf('%', i);
    if (percent === -1) {
      out += template.slice(i);
      break;
    }
    out += template.slice(i, percent);
    i = percent + 1;
    if (template[i] === '%') {
      out += '%';
      i++;
      continue;
    }
    if (template[i] !== '(') {
      // Python would format the whole expansion dict here (`%s` with a mapping).
      throw new ValueProblem(
        `'%' at index ${percent} is not followed by (name) or another '%' (write %% for a literal percent sign)`,
      );
    }
    let depth = 1;
    let end = i + 1;
    for (; end < template.length && depth > 0; end++) {
      if (template[end] === '(') depth++;
      else if (template[end] === ')') depth--;
    }
    if (depth > 0) throw new ValueProblem(`incomplete format key at index ${percent} (missing ')')`);
    const name = template.slice(i + 1, end - 1);
    const spec = SPEC.exec(template.slice(end)) as RegExpExecArray;
    const conversion = spec[4] as string;
    if (conversion === '') {
      throw new ValueProblem(`incomplete format after %(${name}) (expected a conversion such as s or d)`);
    }
    if (!'sradiuoxXeEfFgGc%'.includes(conversion)) {
      const at = end + spec[0].length - 1;
      const code = conversion.charCodeAt(0).toString(16);
      throw new ValueProblem(`unsupported format character '${conversion}' (0x${code}) at index ${at}`);
    }
    i = end + spec[0].length;
    if (!Object.hasOwn(names, name)) {
      throw new ValueProblem(`unknown name %(${name}) in '${template}'; available names: ${describeNames(names)}`);
    }
    if (conversion === '%') {
      out += '%';
      continue;
    }
    const value = names[name] as ExpansionValue;
    const precisionText = spec[3];
    out += formatOne(value, {
      flags: spec[1] as string,
      width: spec[2] === '' ? 0 : Number(spec[2]),
      precision: precisionText === undefined ? undefined : Number(precisionText || '0'),
      conversion,
    });
  }
  return out;
}
