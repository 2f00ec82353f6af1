/**
 * Part of the Python/pandas explorer helper (see pythonHelper.ts): the query operations (info, rows, summary, chart, csv) and the query entry point.
 * Plain Python inside String.raw: no backticks, no dollar-brace sequences.
 */
export const PYTHON_HELPER_OPS = String.raw`
def _op_info(df, req):
    import numpy as np
    nlev, names = _layout(df)
    n = len(df)
    limit = int(req.get('sample', 1000))
    idx = (np.arange(min(n, limit)) * n) // max(1, min(n, limit)) if n else np.arange(0)
    schema = _resource(df.iloc[idx[:1]] if n else df, None)['schema']
    fields = schema['fields']
    sample = [[_cell(v) for v in _take(df, k, idx).tolist()] for k in range(len(names))]
    return {'rowCount': n, 'fields': fields, 'primaryKey': names[:nlev], 'sample': sample}


def _op_rows(df, req, types):
    pos = _positions(df, req['view'], types)
    off = max(0, int(req.get('offset', 0)))
    lim = max(0, min(int(req.get('limit', 200)), 10000))
    page = pos[off:off + lim]
    ncols = len(types)
    cols = [_take(df, k, page).tolist() for k in range(ncols)]
    rows = [[_cell(cols[k][i]) for k in range(ncols)] for i in range(len(page))]
    return {'rowCount': int(len(pos)), 'offset': off, 'rows': rows}


def _top(s, limit):
    """(value, count) pairs, most frequent first; ties by the value's text, as the window does."""
    return _top_of_counts(s.value_counts(dropna=True), limit)


def _top_of_counts(vc, limit):
    total = len(vc)
    if len(vc) > limit:
        # value_counts orders by count; only ties at the cut need the text order.
        vc = vc[vc >= vc.iloc[limit - 1]]
    items = sorted(vc.items(), key=lambda kv: (-kv[1], _str(kv[0])))
    return items, total


def _str(v):
    if isinstance(v, bool):
        return 'true' if v else 'false'
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e21:
        return str(int(v))
    return str(v)


def _hashable(s):
    """Object columns holding dicts/lists get their JSON text (hashable, as the window shows them)."""
    import pandas as pd
    if s.dtype == object and pd.api.types.infer_dtype(s, skipna=True) in ('mixed', 'unknown-array'):
        return s.map(lambda v: json.dumps(v, separators=(',', ':'), default=str) if isinstance(v, (dict, list)) else v)
    return s


def _norm_key(v, ctype):
    """A group/top value as the window normalizes cells."""
    v = _cell(v)
    if ctype == 'quantitative' and isinstance(v, str):
        try:
            return float(v)
        except ValueError:
            return v
    return v


def _binning(v, bins):
    import numpy as np
    fin = v[np.isfinite(v)]
    if fin.size == 0:
        return None
    mn = float(fin.min())
    mx = float(fin.max())
    width = (mx - mn) / bins if mx > mn else 0.0
    return (mn, mx, bins if width else 1, width)


def _bin_index(b, v):
    import numpy as np
    mn, mx, bins, width = b
    if width == 0:
        return np.zeros(v.shape, dtype='int64')
    return np.minimum(bins - 1, np.floor((v - mn) / width)).astype('int64')


def _quantile_sorted(a, q):
    """Linear-interpolation quantile of a sorted array (numpy's default, without re-sorting)."""
    pos = (a.size - 1) * q
    lo = int(pos // 1)
    hi = min(lo + 1, a.size - 1)
    return float(a[lo] + (a[hi] - a[lo]) * (pos - lo))


def _distinct_sorted(fin, v):
    """Distinct non-missing values of a numeric column from its sorted finite values (+ infinities)."""
    import numpy as np
    d = int(np.count_nonzero(np.diff(fin))) + 1 if fin.size else 0
    return d + int(np.isposinf(v).any()) + int(np.isneginf(v).any())


def _op_summary(df, req, types):
    import numpy as np
    import pandas as pd
    pos = _positions(df, req['view'], types)
    out = []
    for k, ctype in enumerate(types):
        s = _hashable(_take(df, k, pos))
        missing = int(s.isna().sum())
        entry = {'column': k, 'type': ctype, 'count': int(len(s) - missing), 'missing': missing}
        if ctype in ('quantitative', 'temporal'):
            v = _numeric(s, ctype)
            fin = np.sort(v[np.isfinite(v)])
            if pd.api.types.is_numeric_dtype(s.dtype) or pd.api.types.is_datetime64_any_dtype(s.dtype):
                entry['distinct'] = _distinct_sorted(fin, v)
            else:
                entry['distinct'] = int(s.nunique(dropna=True))
            inf = int(np.isinf(v).sum())
            if inf:
                entry['infinite'] = inf
            if fin.size:
                entry['min'] = float(fin[0])
                entry['max'] = float(fin[-1])
                entry['mean'] = float(fin.mean())
                entry['std'] = float(fin.std(ddof=1)) if fin.size > 1 else None
                entry['quantiles'] = [_quantile_sorted(fin, q) for q in (0.25, 0.5, 0.75)]
                b = _binning(fin, 20)
                counts = np.bincount(_bin_index(b, fin), minlength=b[2])
                mn, mx, nb, w = b
                entry['histogram'] = [{'start': mn + i * w, 'end': (mn + (i + 1) * w) if w else mx, 'count': int(c)}
                                      for i, c in enumerate(counts)]
        else:
            vc = s.value_counts(dropna=True)
            entry['distinct'] = int(len(vc))
            items, _ = _top_of_counts(vc, 10)
            entry['top'] = [{'value': _str(_norm_key(v, ctype)), 'count': int(c)} for v, c in items[:10]]
            if ctype == 'nominal' and len(vc):
                uniques = np.asarray(vc.index, dtype=object)
                if pd.api.types.infer_dtype(uniques, skipna=True) != 'string':
                    uniques = [_str(_norm_key(v, ctype)) for v in uniques]
                entry['min'] = min(uniques)
                entry['max'] = max(uniques)
        out.append(entry)
    return {'rowCount': int(len(pos)), 'columns': out}


def _group_keys(df, pos, groups, types):
    """Per group key: an array of key values (object), an array of bin ends or None, validity mask."""
    import numpy as np
    import pandas as pd
    keys = []
    binned = []
    truncated = {}
    valid = np.ones(len(pos), dtype=bool)
    for gi, g in enumerate(groups):
        k = int(g['column'])
        ctype = types[k]
        s = _hashable(_take(df, k, pos))
        bins = g.get('bins')
        if bins is not None and ctype in ('quantitative', 'temporal', 'boolean'):
            v = _numeric(s, ctype)
            above = g.get('binAbove')
            if above is not None and len(pd.unique(v[np.isfinite(v)])) <= above:
                bins = None
        else:
            bins = None
        if bins is not None:
            v = _numeric(s, ctype)
            ok = np.isfinite(v)
            binned.append(gi)
            b = _binning(v, int(bins))
            if b is None:
                valid &= False
                keys.append((np.zeros(len(pos)), np.zeros(len(pos))))
                continue
            mn, mx, nb, w = b
            idx = _bin_index(b, np.where(ok, v, mn))
            start = mn + idx * w
            end = (mn + (idx + 1) * w) if w else np.full(len(pos), mx)
            valid &= ok
            keys.append((start, end))
            continue
        if ctype in ('quantitative', 'temporal'):
            v = _numeric(s, ctype)
            ok = ~np.isnan(v)
            vals = v
        else:
            ok = ~s.isna().values
            vals = s.values
        limit = g.get('limit')
        if limit is not None:
            items, total = _top(s[ok] if ctype not in ('quantitative', 'temporal') else pd.Series(v[ok]), int(limit))
            if total > int(limit):
                truncated[str(gi)] = int(total)
                allowed = set(kv[0] for kv in items[:int(limit)])
                ok &= pd.Series(vals).isin(allowed).values
        valid &= ok
        keys.append((vals, None))
    return keys, binned, truncated, valid


def _agg(op, values):
    import numpy as np
    v = values[np.isfinite(values)] if values is not None else None
    if op == 'count':
        return None
    if op == 'sum':
        return float(v.sum()) if v.size else 0.0
    if v.size == 0:
        return None
    if op == 'mean':
        return float(v.mean())
    if op == 'median':
        return float(np.quantile(v, 0.5))
    if op == 'min':
        return float(v.min())
    if op == 'max':
        return float(v.max())
    raise _BadRequest('Unknown aggregate %r' % (op,))


def _rank_key(v):
    import numbers
    if v is None:
        return (3, 0)
    if isinstance(v, (bool, __import__('numpy').bool_)):
        return (1, bool(v))
    if isinstance(v, numbers.Number):
        return (0, float(v))
    return (2, str(v))


def _box(v):
    import numpy as np
    v = np.sort(v)
    q1, med, q3 = [float(np.quantile(v, q)) for q in (0.25, 0.5, 0.75)]
    iqr = q3 - q1
    lower = float(v[v >= q1 - 1.5 * iqr].min())
    upper = float(v[v <= q3 + 1.5 * iqr].max())
    return {'count': int(v.size), 'min': float(v[0]), 'q1': q1, 'median': med, 'q3': q3, 'max': float(v[-1]),
            'lower': lower, 'upper': upper}


def _op_chart(df, req, types):
    import numpy as np
    import pandas as pd
    pos = _positions(df, req['view'], types)
    chart = req['chart']
    total = int(len(pos))
    kind = chart.get('kind')
    if kind == 'points':
        limit = int(chart.get('limit', 5000))
        take = (np.arange(limit) * total) // limit if total > limit else np.arange(total)
        rows_pos = pos[take]
        cols = []
        for c in chart['columns']:
            ctype = types[int(c)]
            part = _take(df, int(c), rows_pos)
            if ctype in ('quantitative', 'temporal'):
                cols.append(_numeric(part, ctype).tolist())
            else:
                cols.append([_norm_key(x, ctype) for x in part.tolist()])
        rows = [dict(('c%d' % i, cols[i][j]) for i in range(len(cols))) for j in range(len(rows_pos))]
        out = {'rows': rows, 'totalRows': total}
        if len(rows_pos) < total:
            out['sampled'] = {'shown': int(len(rows_pos)), 'total': total}
        return out
    if kind == 'box':
        col = int(chart['column'])
        v = _numeric(_take(df, col, pos), 'quantitative')
        group = chart.get('group')
        truncated = {}
        if group:
            keys, _b, truncated, valid = _group_keys(df, pos, [group], types)
            valid &= np.isfinite(v)
            frame = pd.DataFrame({'g': pd.Series(keys[0][0]).values[valid], 'v': v[valid]})
            rows = [dict({'group': _norm_key(g, types[int(group['column'])])}, **_box(part['v'].values))
                    for g, part in frame.groupby('g', sort=False)]
        else:
            fin = v[np.isfinite(v)]
            rows = [dict({'group': None}, **_box(fin))] if fin.size else []
        rows.sort(key=lambda r: _rank_key(r['group']))
        out = {'rows': rows, 'totalRows': total}
        if truncated:
            out['truncated'] = truncated
        return out
    groups = chart.get('groups', [])
    keys, binned, truncated, valid = _group_keys(df, pos, groups, types)
    op = chart.get('op', 'count')
    mcol = chart.get('column')
    data = {}
    for i, (vals, ends) in enumerate(keys):
        data['g%d' % i] = pd.Series(vals).values[valid]
        if ends is not None:
            data['g%d_end' % i] = np.asarray(ends)[valid]
    if op != 'count' and mcol is not None:
        m = _numeric(_take(df, int(mcol), pos), 'quantitative')
        m = np.where(np.isfinite(m), m, np.nan)
        data['m'] = m[valid]
    frame = pd.DataFrame(data)
    by = ['g%d' % i for i in range(len(keys))]
    rows = []
    if len(frame) and by:
        grouped = frame.groupby(by if len(by) > 1 else by[0], sort=False, dropna=True)
        values = grouped.size() if op == 'count' or mcol is None else grouped['m'].agg(op)
        ends = dict((i, grouped['g%d_end' % i].first()) for i in binned)
        for key, value in values.items():
            tup = key if isinstance(key, tuple) else (key,)
            row = {}
            for i, kv in enumerate(tup):
                ctype = types[int(groups[i]['column'])]
                row['g%d' % i] = float(kv) if i in binned or ctype in ('quantitative', 'temporal') else _norm_key(kv, ctype)
                if i in binned:
                    row['g%d_end' % i] = float(ends[i][key])
            row['value'] = int(value) if op == 'count' or mcol is None else _cell(value)
            rows.append(row)
    rows.sort(key=lambda r: tuple(_rank_key(r['g%d' % i]) for i in range(len(keys))))
    out = {'rows': rows, 'totalRows': total}
    if binned:
        out['binnedKeys'] = binned
    if truncated:
        out['truncated'] = truncated
    return out


def _op_csv(df, req, types):
    pos = _positions(df, req['view'], types)
    flat, _ = _flat(df.iloc[pos])
    return {'csv': flat.to_csv(index=False), 'rows': int(len(pos))}


def query(text):
    """Answers one protocol request (JSON text); always returns a _Reply, never raises."""
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        return _query(text)


def _query(text):
    try:
        req = json.loads(text)
        op = req.get('op')
        df = _frame(req.get('frame'))
        if op == 'info':
            result = _op_info(df, req)
        else:
            types = req.get('types') or []
            nlev, names = _layout(df)
            if len(types) != len(names):
                raise _Gone('The dataframe changed shape since it was displayed (%d columns now, %d then).' % (len(names), len(types)))
            view = dict(req.get('view') or {})
            view['_fid'] = req.get('frame')
            req['view'] = view
            if op == 'rows':
                result = _op_rows(df, req, types)
            elif op == 'summary':
                result = _op_summary(df, req, types)
            elif op == 'chart':
                result = _op_chart(df, req, types)
            elif op == 'csv':
                result = _op_csv(df, req, types)
            else:
                raise _BadRequest('Unknown op %r' % (op,))
        return _Reply({'ok': True, 'v': VERSION, 'result': result})
    except _Gone as e:
        return _Reply({'ok': False, 'v': VERSION, 'code': 'FRAME_GONE', 'message': str(e)})
    except _BadRequest as e:
        return _Reply({'ok': False, 'v': VERSION, 'code': 'BAD_REQUEST', 'message': str(e)})
    except Exception as e:
        return _Reply({'ok': False, 'v': VERSION, 'code': 'ERROR', 'message': '%s: %s' % (type(e).__name__, e)})
`;
