"""Comparing two result files dataset for dataset: the definition of "same content"
(docs/hpc.md), used by the determinism, MPI and checkpoint tests and by
scripts/check_identical.py.

Same content: the same groups and datasets, every dataset equal bit for bit (dtype, shape,
bytes), every attribute equal, except the root attributes a caller chooses to ignore; by
default those that describe how a run was executed rather than what it computed.
"""
from __future__ import annotations

import h5py
import numpy as np

#: Root attributes about how a run was executed (threads, ranks, restarts, timing), not what it computed.
EXECUTION_ATTRS = frozenset({"created", "seconds", "agent_steps_per_s", "threads", "ranks", "restarted_from_day"})
#: Root attributes that name the software that wrote the file (docs/output.md).
SOFTWARE_ATTRS = frozenset({"software_version", "git_commit"})


def _value(v, f=None):
    """Attribute value in a comparable form: arrays -> lists, and object references (the
    dimension scales' DIMENSION_LIST and REFERENCE_LIST) -> the path of the object they point
    to, since a reference's value is an address that differs from file to file."""
    if isinstance(v, h5py.Reference):
        return f[v].name if (f is not None and v) else None
    if isinstance(v, np.void) and v.dtype.names:
        return tuple(_value(v[n], f) for n in v.dtype.names)
    if isinstance(v, np.ndarray):
        if v.dtype.names or v.dtype.kind == "O":
            return [_value(x, f) for x in v]
        return v.tolist()
    if isinstance(v, np.generic):
        return v.item()
    return v


def differences(path_a, path_b, ignored_root_attrs=EXECUTION_ATTRS, limit=20) -> list[str]:
    """Every difference between two result files, as readable lines (empty list: same content),
    stopping after about `limit` of them. Root attributes named in `ignored_root_attrs` are not compared.

    A root attribute that differs gives the line "/ attribute NAME: 'a...' != 'b...'".
    """
    out = []
    with h5py.File(path_a, "r") as a, h5py.File(path_b, "r") as b:
        def names(f):
            found = []
            f.visit(found.append)
            return set(found)

        na, nb = names(a), names(b)
        for n in sorted(na ^ nb):
            out.append(f"{n}: only in {path_a if n in na else path_b}")
        root_a = {k: _value(v) for k, v in a.attrs.items() if k not in ignored_root_attrs}
        root_b = {k: _value(v) for k, v in b.attrs.items() if k not in ignored_root_attrs}
        for k in sorted(set(root_a) | set(root_b)):
            if root_a.get(k) != root_b.get(k):
                out.append(f"/ attribute {k}: {str(root_a.get(k))[:60]!r} != {str(root_b.get(k))[:60]!r}")
        for n in sorted(na & nb):
            oa, ob = a[n], b[n]
            if type(oa) is not type(ob):
                out.append(f"{n}: a {type(oa).__name__} in one file, a {type(ob).__name__} in the other")
                continue
            attrs_a = {k: _value(v, a) for k, v in oa.attrs.items()}
            attrs_b = {k: _value(v, b) for k, v in ob.attrs.items()}
            if attrs_a != attrs_b:
                out.append(f"{n}: attributes differ: {attrs_a} != {attrs_b}")
            if not isinstance(oa, h5py.Dataset):
                continue
            if oa.dtype != ob.dtype or oa.shape != ob.shape:
                out.append(f"{n}: {oa.dtype}{oa.shape} != {ob.dtype}{ob.shape}")
                continue
            if h5py.check_string_dtype(oa.dtype):
                va, vb = list(oa[()]), list(ob[()])
                if va != vb:
                    out.append(f"{n}: strings differ")
            else:
                va, vb = oa[()], ob[()]
                # Bit for bit: compare the bytes, so that even NaN payloads and -0.0 must match.
                if va.tobytes() != vb.tobytes():
                    where = np.argwhere(va != vb)
                    out.append(f"{n}: {len(where)} values differ, first at {where[0].tolist() if len(where) else '?'}")
            if len(out) >= limit:
                break
    return out
