/**
 * Part of the Python/pandas explorer helper (see pythonHelper.ts): the frame registry, cell encoding and the DataFrame display formatter.
 * Plain Python inside String.raw: no backticks, no dollar-brace sequences.
 */
export const PYTHON_HELPER_FRAMES = String.raw`
# Quire data explorer: kernel-side helper (protocol v1). Installed by a silent execute into the
# module "__quire_explorer__" (never the user's namespace). Frames are registered when displayed
# and held by weak reference; queries address them by frame id.
import sys, json, re, weakref, itertools, uuid

MIME = 'application/vnd.dataresource+json'
REPLY_MIME = 'application/vnd.quire.explorer.v1+json'
VERSION = 1
_token = uuid.uuid4().hex[:8]
_counter = itertools.count(1)
_frames = {}
_by_obj = {}
_views = {}
_state = {'table_schema': True, 'option_set': False, 'hooked': False}


class _Reply(object):
    """What a query returns: user_expressions carries it as REPLY_MIME (JSON text)."""
    def __init__(self, payload):
        self.text = json.dumps(_clean(payload), allow_nan=False, default=str, separators=(',', ':'))

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {REPLY_MIME: self.text}


def _clean(v):
    if isinstance(v, float):
        if v != v:
            return None
        if v in (float('inf'), float('-inf')):
            return 'Infinity' if v > 0 else '-Infinity'
        return v
    if isinstance(v, dict):
        return dict((str(k), _clean(x)) for k, x in v.items())
    if isinstance(v, (list, tuple)):
        return [_clean(x) for x in v]
    return v


def _cell(v):
    """A raw cell as JSON: the same encoding pandas' to_json(orient='table') uses for the output."""
    import numpy as np
    import pandas as pd
    if v is None:
        return None
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        f = float(v)
        if f != f:
            return None
        return f
    if isinstance(v, str):
        return v
    if v is pd.NaT:
        return None
    if isinstance(v, pd.Timestamp):
        if v.tzinfo is not None:
            v = v.tz_convert('UTC').tz_localize(None)
            return v.isoformat() + 'Z'
        return v.isoformat()
    if isinstance(v, (pd.Timedelta,)):
        return v.isoformat()
    try:
        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    if hasattr(v, 'isoformat'):
        return v.isoformat()
    if isinstance(v, (dict, list, tuple)):
        try:
            return json.loads(json.dumps(v, allow_nan=False, default=str))
        except (TypeError, ValueError):
            return str(v)
    return str(v)


# --- frames -------------------------------------------------------------------------------------

def _register(df):
    key = id(df)
    fid = _by_obj.get(key)
    if fid is not None:
        ref = _frames.get(fid)
        if ref is not None and ref() is df:
            return fid
    fid = '%s-%d' % (_token, next(_counter))

    def gone(_ref, fid=fid, key=key):
        _frames.pop(fid, None)
        _views.pop(fid, None)
        _keys.pop(fid, None)
        if _by_obj.get(key) == fid:
            _by_obj.pop(key, None)
    _frames[fid] = weakref.ref(df, gone)
    _by_obj[key] = fid
    return fid


def _forget(fid):
    """Drops cached views and sort keys of a frame: caches are only checked against its shape,
    so they are cleared whenever it is displayed again or an explorer opens on it."""
    _views.pop(fid, None)
    _keys.pop(fid, None)


def _name(n, fallback):
    if n is None:
        return fallback
    if isinstance(n, tuple):
        return ' / '.join(str(p) for p in n if str(p) != '')
    return str(n)


def _unique(names):
    used = {}
    out = []
    for i, n in enumerate(names):
        base = n if n != '' else '(column %d)' % (i + 1)
        used[base] = used.get(base, 0) + 1
        out.append(base if used[base] == 1 else '%s (%d)' % (base, used[base]))
    return out


def _layout(df):
    """Flat columns of a frame: its index levels, then its columns, with unique string names."""
    nlev = df.index.nlevels
    names = [_name(df.index.names[i], 'index' if nlev == 1 else 'level_%d' % i) for i in range(nlev)]
    names += [_name(c, '') for c in df.columns]
    return nlev, _unique(names)


def _take(df, k, pos=None):
    """Flat column k (index levels first) as a Series with a fresh RangeIndex: all rows, or the
    rows at positions pos. Only the rows asked for are copied."""
    import pandas as pd
    nlev = df.index.nlevels
    if k < nlev:
        idx = df.index if pos is None else df.index[pos]
        return pd.Series(idx.get_level_values(k), copy=False).reset_index(drop=True)
    s = df.iloc[:, k - nlev] if pos is None else df.iloc[pos, k - nlev]
    return pd.Series(s.array, copy=False)


def _flat(df):
    import pandas as pd
    nlev, names = _layout(df)
    data = dict((i, _take(df, i)) for i in range(len(names)))
    flat = pd.DataFrame(data)
    flat.columns = names
    return flat, names[:nlev]


def _resource(df, max_rows):
    head = df.head(max_rows) if max_rows else df
    flat, index_names = _flat(head)
    text = flat.to_json(orient='table', index=False, date_format='iso', default_handler=str)
    data = json.loads(text)
    data['schema']['primaryKey'] = index_names
    # to_json writes infinities as null (missing); keep them, as the spellings the window parses.
    for name in flat.columns:
        values = flat[name].values
        if values.dtype.kind == 'f':
            import numpy as np
            for i in np.flatnonzero(np.isinf(values)):
                data['data'][int(i)][name] = 'Infinity' if values[i] > 0 else '-Infinity'
    return data


def _format_frame(df):
    import pandas as pd
    if not pd.get_option('display.html.table_schema'):
        if _state['table_schema'] and not _state['option_set']:
            _set_option()
        else:
            return None
    try:
        data = _resource(df, _state.get('row_limit') or pd.get_option('display.max_rows'))
    except Exception:
        return None
    fid = _register(df)
    _forget(fid)
    return data, {'quire': {'frame_id': fid, 'rows': int(df.shape[0]), 'columns': int(df.shape[1])}}


def _set_option():
    pd = sys.modules.get('pandas')
    if pd is None or _state['option_set']:
        return
    _state['option_set'] = True
    try:
        pd.set_option('display.html.table_schema', True)
    except Exception:
        pass


def _post_run(*_args):
    if _state['table_schema'] and 'pandas' in sys.modules:
        _set_option()


def install(table_schema=True, row_limit=0):
    """Registers the DataFrame formatter (lazily: pandas is not imported here) and, when
    table_schema, turns pandas' display.html.table_schema on once pandas is imported. Table outputs
    keep row_limit rows (0: pandas' display.max_rows)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    ip = get_ipython()
    if ip is None:
        return False
    _state['table_schema'] = bool(table_schema)
    _state['row_limit'] = int(row_limit or 0)
    formatters = ip.display_formatter.formatters
    if MIME not in formatters:
        from IPython.core.formatters import BaseFormatter
        from traitlets import ObjectName, Unicode

        class DataResourceFormatter(BaseFormatter):
            format_type = Unicode(MIME)
            print_method = ObjectName('_repr_data_resource_')
            _return_type = (dict,)
        formatters[MIME] = DataResourceFormatter(parent=ip.display_formatter)
    formatters[MIME].for_type_by_name('pandas.core.frame', 'DataFrame', _format_frame)
    if not _state['hooked']:
        ip.events.register('post_run_cell', _post_run)
        _state['hooked'] = True
    _post_run()
    return True
`;
