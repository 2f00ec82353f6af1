/** One parameter's widget in the run form: chosen by the inferred type, with its help and error. */
import type { FieldInput, ParameterFieldModel } from './parameterForm';

export interface ParameterFieldProps {
  field: ParameterFieldModel;
  value: FieldInput;
  /** Why the current value is refused, shown under the widget. */
  error?: string;
  onChange(value: FieldInput): void;
}

const KIND_LABEL: Record<ParameterFieldModel['kind'], string> = {
  int: 'int', float: 'float', str: 'str', bool: 'bool', none: 'None', list: 'list (JSON)', dict: 'dict (JSON)', code: 'unknown type',
};

export function ParameterField({ field, value, error, onChange }: ParameterFieldProps): React.JSX.Element {
  const id = `run-param-${field.name}`;
  const describedBy = `${id}-help`;
  const common = {
    id, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy, 'data-testid': `param-input-${field.name}`,
  } as const;
  let widget: React.JSX.Element;
  switch (field.kind) {
    case 'bool':
      widget = <input {...common} type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} />;
      break;
    case 'int':
    case 'float':
      // Text, not type=number: the browser would silently drop what it cannot parse instead of letting us say why.
      widget = <input {...common} type="text" inputMode={field.kind === 'int' ? 'numeric' : 'decimal'} className="quire-run-input is-number"
        value={String(value)} onChange={(e) => onChange(e.target.value)} spellCheck={false} />;
      break;
    case 'list':
    case 'dict':
      widget = <textarea {...common} className="quire-run-input is-code" rows={Math.min(6, Math.max(2, String(value).split('\n').length))}
        value={String(value)} onChange={(e) => onChange(e.target.value)} spellCheck={false} />;
      break;
    case 'code':
      widget = <input {...common} type="text" className="quire-run-input is-code" value={String(value)} onChange={(e) => onChange(e.target.value)}
        spellCheck={false} placeholder="a Python literal" />;
      break;
    default:
      widget = <input {...common} type="text" className="quire-run-input" value={String(value)} onChange={(e) => onChange(e.target.value)}
        placeholder={field.kind === 'none' ? 'None' : undefined} />;
  }
  return (
    <div className={`quire-run-field kind-${field.kind}${error ? ' has-error' : ''}`} data-testid={`param-${field.name}`}>
      <label htmlFor={id} className="quire-run-label">
        <span className="quire-run-name">{field.name}</span>
        <span className="quire-run-type" title={`Inferred type: ${field.typeName === 'None' ? 'unknown' : field.typeName}`}>{field.kind === 'code' ? KIND_LABEL.code : field.typeName}</span>
      </label>
      <div className="quire-run-widget">{widget}</div>
      <div id={describedBy} className="quire-run-help">
        {field.help ? <span>{field.help}</span> : null}
        <span className="quire-muted"> default <code>{field.defaultSource}</code></span>
        {field.kind === 'list' || field.kind === 'dict' ? <span className="quire-muted"> · JSON</span> : null}
      </div>
      {error ? <div className="quire-run-error" role="alert" data-testid={`param-error-${field.name}`}>{error}</div> : null}
    </div>
  );
}
