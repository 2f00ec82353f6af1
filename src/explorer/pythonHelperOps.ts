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
    pos = _unordered_positions(df, req['view'], types)
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


def _group_codes(df, pos, g, gi, types, binned, truncated, fid=None):
    """One grouping key as integer codes per row (-1 = row dropped) and the label of each code:
    a bin (start, end), or the value as the window normalizes it. Nominal keys keep their top
    limit values by row count (ties by text)."""
    import numpy as np
    import pandas as pd
    k = int(g['column'])
    ctype = types[k]
    continuous = ctype in ('quantitative', 'temporal')
    whole = _take(df, k)
    # Text keys use the frame's cached factorization (hashing a million strings per chart is slow).
    cached = fid is not None and not continuous and (whole.dtype == object or str(whole.dtype) == 'category')
    s = None if cached else _take(df, k, pos)
    bins = g.get('bins') if continuous else None
    if bins is not None:
        v = _numeric(s, ctype)
        fin = np.isfinite(v)
        above = g.get('binAbove')
        if above is not None:
            present = v[fin]
            # A spread-out sample with too many distinct values settles it without hashing every row.
            sample = present[::max(1, present.size // 5000)]
            if len(pd.unique(sample)) <= above and len(pd.unique(present)) <= above:
                bins = None
    if bins is not None:
        binned.append(gi)
        b = _binning(v, int(bins))
        if b is None:
            return np.full(len(pos), -1, dtype='int64'), []
        mn, mx, nb, w = b
        codes = np.where(fin, _bin_index(b, np.where(fin, v, mn)), -1)
        return codes, [(mn + i * w, (mn + (i + 1) * w) if w else mx) for i in range(nb)]
    if continuous:
        # Infinities cannot sit on an axis: like missing values, they are left out of charts.
        v = _numeric(s, ctype)
        v = np.where(np.isfinite(v), v, np.nan)
        codes, uniques = pd.factorize(v)
        labels = [float(u) for u in uniques]
    elif cached:
        # Narrowed to the values present in the view.
        all_codes, uniques = _codes(df, fid, k)
        sub = all_codes[pos]
        present = np.flatnonzero(np.bincount(sub[sub >= 0], minlength=len(uniques)))
        remap = np.full(len(uniques), -1, dtype='int64')
        remap[present] = np.arange(len(present))
        codes = np.where(sub >= 0, remap[np.maximum(sub, 0)], -1)
        labels = [_norm_key(u, ctype) for u in uniques[present]]
    else:
        codes, uniques = pd.factorize(_hashable(s))
        labels = [_norm_key(u, ctype) for u in uniques]
    codes = np.asarray(codes, dtype='int64')
    limit = g.get('limit')
    if limit is not None and len(labels) > int(limit):
        limit = int(limit)
        counts = np.bincount(codes[codes >= 0], minlength=len(labels))
        cut = np.sort(counts)[::-1][limit - 1]
        candidates = [int(i) for i in np.flatnonzero(counts >= cut)]
        candidates.sort(key=lambda i: (-counts[i], _str(labels[i])))
        allowed = np.zeros(len(labels), dtype=bool)
        allowed[candidates[:limit]] = True
        truncated[str(gi)] = len(labels)
        codes = np.where((codes >= 0) & allowed[np.maximum(codes, 0)], codes, -1)
    return codes, labels


def _combine(codes_list, sizes):
    """Row codes of several keys combined into one group id per row (-1 = dropped), plus, per
    group, the tuple of key codes."""
    import numpy as np
    import pandas as pd
    valid = np.ones(len(codes_list[0]), dtype=bool)
    for c in codes_list:
        valid &= c >= 0
    combined = np.zeros(len(valid), dtype='int64')
    for c, size in zip(codes_list, sizes):
        combined = combined * max(1, size) + np.maximum(c, 0)
    gid, uniq = pd.factorize(combined[valid])
    parts = []
    rest = np.asarray(uniq, dtype='int64')
    for size in reversed(sizes):
        parts.append(rest % max(1, size))
        rest = rest // max(1, size)
    parts.reverse()
    return valid, np.asarray(gid, dtype='int64'), list(zip(*[p.tolist() for p in parts])) if parts else []


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
    """Five-number summary with 1.5 IQR whiskers of an ascending-sorted array."""
    q1, med, q3 = [_quantile_sorted(v, q) for q in (0.25, 0.5, 0.75)]
    iqr = q3 - q1
    lower = float(v[v >= q1 - 1.5 * iqr].min())
    upper = float(v[v <= q3 + 1.5 * iqr].max())
    return {'count': int(v.size), 'min': float(v[0]), 'q1': q1, 'median': med, 'q3': q3, 'max': float(v[-1]),
            'lower': lower, 'upper': upper}


def _op_chart(df, req, types):
    import numpy as np
    import pandas as pd
    chart = req['chart']
    kind = chart.get('kind')
    # A point sample is spread over the view's order; aggregates only need its rows.
    pos = (_positions if kind == 'points' else _unordered_positions)(df, req['view'], types)
    total = int(len(pos))
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
        v = _numeric(_take(df, int(chart['column']), pos), 'quantitative')
        group = chart.get('group')
        truncated = {}
        if group:
            codes, labels = _group_codes(df, pos, group, 0, types, [], truncated, req['view'].get('_fid'))
        else:
            codes, labels = np.zeros(len(pos), dtype='int64'), [None]
        ok = (codes >= 0) & np.isfinite(v)
        c = codes[ok]
        vals = v[ok]
        # Group rows by code (a radix sort when codes fit 16 bits), then sort each group's values.
        order = np.argsort(c.astype('int16') if len(labels) < 32000 else c, kind='stable')
        c = c[order]
        vals = vals[order]
        starts = np.flatnonzero(np.r_[True, c[1:] != c[:-1]]) if c.size else np.arange(0)
        ends = np.r_[starts[1:], c.size]
        rows = [dict({'group': labels[int(c[a])]}, **_box(np.sort(vals[a:e]))) for a, e in zip(starts, ends)]
        rows.sort(key=lambda r: _rank_key(r['group']))
        out = {'rows': rows, 'totalRows': total}
        if truncated:
            out['truncated'] = truncated
        return out
    groups = chart.get('groups', [])
    binned = []
    truncated = {}
    keyed = [_group_codes(df, pos, g, gi, types, binned, truncated, req['view'].get('_fid')) for gi, g in enumerate(groups)]
    rows = []
    if keyed:
        valid, gid, tuples = _combine([c for c, _l in keyed], [len(l) for _c, l in keyed])
        ngroups = len(tuples)
        op = chart.get('op', 'count')
        mcol = chart.get('column')
        counts = np.bincount(gid, minlength=ngroups)
        if op == 'count' or mcol is None:
            values = counts.astype('float64')
        else:
            m = _numeric(_take(df, int(mcol), pos), 'quantitative')[valid]
            fin = np.isfinite(m)
            if op in ('sum', 'mean'):
                sums = np.bincount(gid, weights=np.where(fin, m, 0.0), minlength=ngroups)
                nfin = np.bincount(gid, weights=fin.astype('float64'), minlength=ngroups)
                values = sums if op == 'sum' else np.where(nfin > 0, sums / np.maximum(nfin, 1), np.nan)
            elif op in ('median', 'min', 'max'):
                values = pd.Series(np.where(fin, m, np.nan)).groupby(gid).agg(op).reindex(range(ngroups)).values
            else:
                raise _BadRequest('Unknown aggregate %r' % (op,))
        for t, value in zip(tuples, values.tolist()):
            row = {}
            for i, code in enumerate(t):
                label = keyed[i][1][code]
                if i in binned:
                    row['g%d' % i] = float(label[0])
                    row['g%d_end' % i] = float(label[1])
                else:
                    row['g%d' % i] = label
            row['value'] = int(value) if op == 'count' or mcol is None else _cell(value)
            rows.append(row)
    rows.sort(key=lambda r: tuple(_rank_key(r['g%d' % i]) for i in range(len(groups))))
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
            _forget(req.get('frame'))
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
