/**
 * Part of the Python/pandas explorer helper (see pythonHelper.ts): frame lookup, filtering and sorting (the view positions and sort keys, cached per frame).
 * Plain Python inside String.raw: no backticks, no dollar-brace sequences.
 */
export const PYTHON_HELPER_VIEW = String.raw`
# --- queries ------------------------------------------------------------------------------------

class _Gone(Exception):
    pass


class _BadRequest(Exception):
    pass


def _frame(fid):
    ref = _frames.get(fid)
    df = ref() if ref is not None else None
    if df is None:
        raise _Gone('The dataframe is no longer in the kernel (it was deleted, or the kernel restarted).')
    return df


def _numeric(s, ctype):
    """float64 numpy array: numbers, or epoch ms for temporal; NaN where missing or unparseable."""
    import numpy as np
    import pandas as pd
    from pandas.api import types as t
    if t.is_datetime64_any_dtype(s.dtype):
        if getattr(s.dtype, 'tz', None) is not None:
            s = s.dt.tz_convert('UTC').dt.tz_localize(None)
        i8 = s.values.astype('datetime64[ns]').view('i8').astype('float64')
        i8[s.isna().values] = np.nan
        return i8 / 1e6
    if ctype == 'temporal':
        d = pd.to_datetime(s, errors='coerce', utc=True)
        return _numeric(d, 'temporal')
    if t.is_bool_dtype(s.dtype):
        return s.astype('float64').values
    if t.is_numeric_dtype(s.dtype):
        return s.astype('float64').values
    return pd.to_numeric(s, errors='coerce').astype('float64').values


def _text(s):
    import pandas as pd

    def one(v):
        if isinstance(v, (dict, list)):
            return json.dumps(v, separators=(',', ':'), default=str)
        if isinstance(v, bool):
            return 'true' if v else 'false'
        return str(v)
    na = s.isna()
    if s.dtype == object and pd.api.types.infer_dtype(s, skipna=True) == 'string':
        return s, na
    out = s.map(one) if s.dtype == object else s.astype(str)
    return out.where(~na, None), na


def _mask(df, f, types, fid=None):
    import numpy as np
    import pandas as pd
    k = int(f['column'])
    s = _take(df, k)
    ctype = types[k] if k < len(types) else 'nominal'
    op = f.get('op')
    if op == 'missing':
        m = s.isna().values
        return m if f.get('missing') else ~m
    if op == 'range':
        v = _numeric(s, ctype)
        lo = f.get('min')
        hi = f.get('max')
        m = ~np.isnan(v)
        if lo is not None:
            m &= v >= lo
        if hi is not None:
            m &= v <= hi
        return m
    value = str(f.get('value', ''))
    case = bool(f.get('caseSensitive'))
    if op == 'equals' and ctype == 'quantitative':
        try:
            num = float(value)
        except ValueError:
            num = None
        if num is not None and value.strip() != '':
            return _numeric(s, ctype) == num
    if s.dtype == object or str(s.dtype) == 'category':
        # Test each distinct value once, then spread the answer over the rows by their codes.
        codes, uniques = _codes(df, fid, k)
        hit = _text_mask(pd.Series(uniques, dtype=object), op, value, case)
        return (codes >= 0) & hit[np.maximum(codes, 0)] if len(uniques) else np.zeros(len(codes), dtype=bool)
    return _text_mask(s, op, value, case)


def _text_mask(s, op, value, case):
    text, na = _text(s)
    if op == 'equals':
        if case:
            m = text == value
        else:
            m = text.str.lower() == value.lower()
    elif op == 'contains':
        m = text.str.contains(value, case=case, regex=False)
    elif op == 'regex':
        try:
            re.compile(value)
        except re.error as e:
            raise _BadRequest('Invalid regular expression /%s/: %s' % (value, e))
        m = text.str.contains(value, case=case, regex=True)
    else:
        raise _BadRequest('Unknown filter op %r' % (op,))
    return (m.fillna(False).astype(bool) & ~na).values


_keys = {}


def _codes(df, fid, k):
    """Factorized flat column k (codes, distinct values as an object array), cached per frame."""
    import numpy as np
    import pandas as pd
    cache = _keys.setdefault(fid, {})
    stamp = (tuple(df.shape), 'codes')
    hit = cache.get(('codes', k))
    if hit is not None and hit[0] == stamp:
        return hit[1]
    s = _take(df, k)
    if str(s.dtype) == 'category':
        value = (np.asarray(s.cat.codes.values, dtype='int64'), np.asarray(s.cat.categories, dtype=object))
    else:
        codes, uniques = pd.factorize(_hashable(s.astype(object)), sort=False)
        value = (np.asarray(codes, dtype='int64'), np.asarray(uniques, dtype=object))
    cache[('codes', k)] = (stamp, value)
    return value


def _sort_key(df, fid, k, ctype):
    """A float64 key over all rows of flat column k with the window's order: numbers/dates by
    value; other columns by the rank of each distinct value (numbers, then booleans, then text),
    found by sorting only the distinct values. Cached per frame and column: a second sort on the
    same column (other direction, extra key, new filter) skips the hashing."""
    import numpy as np
    import pandas as pd
    cache = _keys.setdefault(fid, {})
    stamp = (tuple(df.shape), ctype)
    hit = cache.get(k)
    if hit is not None and hit[0] == stamp:
        return hit[1]
    s = _take(df, k)
    if ctype in ('quantitative', 'temporal'):
        key = _numeric(s, ctype)
    elif s.dtype == object or str(s.dtype) in ('category', 'string'):
        key = _rank_codes(*_codes(df, fid, k))
    else:
        try:
            key = s.astype('float64').values
        except (TypeError, ValueError):
            codes, uniques = pd.factorize(s.astype(object).map(str), sort=False)
            key = _rank_codes(codes, np.asarray(uniques, dtype=object))
    cache[k] = (stamp, key)
    return key


def _rank_codes(codes, uniques):
    import numpy as np
    import pandas as pd
    if pd.api.types.infer_dtype(uniques, skipna=True) == 'string':
        order = np.argsort(uniques, kind='mergesort')
    else:
        order = sorted(range(len(uniques)), key=lambda i: _rank_key(uniques[i]))
    ranks = np.empty(len(uniques), dtype='float64')
    ranks[order] = np.arange(len(uniques), dtype='float64')
    return np.where(codes >= 0, ranks[np.maximum(codes, 0)], np.nan)


def _positions(df, view, types):
    """Row positions of the view (filtered, stably sorted, missing last); cached per frame."""
    import numpy as np
    import pandas as pd
    fid = view.get('_fid')
    view_key = json.dumps([view.get('filters', []), view.get('sort', []), types, list(df.shape)], sort_keys=True)
    cached = _views.get(fid)
    if cached is not None and cached[0] == view_key:
        return cached[1]
    n = len(df)
    mask = np.ones(n, dtype=bool)
    for f in view.get('filters', []):
        mask &= _mask(df, f, types, fid)
    pos = np.flatnonzero(mask)
    sort = [k for k in view.get('sort', []) if int(k['column']) < len(types)]
    if sort:
        # lexsort is stable and puts NaN (missing) last; descending negates the key, so ties keep
        # their original order as in pandas' stable sort_values.
        keys = []
        for k in reversed(sort):
            column_key = _sort_key(df, fid, int(k['column']), types[int(k['column'])])[pos]
            keys.append(-column_key if k.get('descending') else column_key)
        pos = pos[np.lexsort(keys)]
    _views[fid] = (view_key, pos)
    return pos


def _unordered_positions(df, view, types):
    """The view's rows in frame order, for answers that do not depend on the order (aggregates,
    summaries): reading a column at sorted (scattered) positions is several times slower."""
    import numpy as np
    pos = _positions(df, view, types)
    if not view.get('sort'):
        return pos
    if len(pos) == len(df):
        return np.arange(len(df))
    return np.sort(pos)
`;
