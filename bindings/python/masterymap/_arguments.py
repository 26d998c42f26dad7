"""Wrong argument types: one TypeError message naming the function, the parameter and what it
accepts, for the bound C++ functions and the package's Python functions alike.

- :func:`explain` is called by the compiled module only after a call failed with pybind11's
  own wording (no overload matched, or a value inside an argument could not be converted; see
  ``bindings/python/arguments.cpp``). It reads the overloads' signatures (the text pybind11
  writes into docstrings, e.g. ``(self: masterymap._core.Rule, min_evidence: int = 1) ->
  None``), binds the call's arguments to the parameters as Python would, and checks each
  argument against its annotation with the rules of pybind11's type casters. Nothing of it runs
  on a successful call.
- :func:`checked` decorates the package's Python functions: their arguments are checked
  against their annotations before each call.
- :func:`describe` shows a wrong value in a message (``str 'x'``, ``None``, ``Wrong``).
"""
from __future__ import annotations

import ast
import collections.abc
import functools
import importlib
import inspect
import numbers
import os
import types
import typing
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

import numpy as np

_POSITIONAL_ONLY, _POSITIONAL, _VAR_POSITIONAL, _KEYWORD_ONLY, _VAR_KEYWORD = range(5)

#: Annotations that take any object.
_ANY = {"object", "Any", "handle", "args", "kwargs", "numpy.ndarray", "buffer", "capsule"}


class _Type:
    """A parsed annotation: a name and its parameters (``Dict[str, float]``)."""

    __slots__ = ("name", "args")

    def __init__(self, name: str, args: Sequence["_Type"] = ()) -> None:
        self.name = name
        self.args = list(args)


class _Param:
    __slots__ = ("name", "type", "default", "kind")

    def __init__(self, name: str, type_: Optional[_Type], default: bool, kind: int) -> None:
        self.name = name
        self.type = type_
        self.default = default
        self.kind = kind


class _ArityError(Exception):
    """The arguments do not bind to the parameters (count or names)."""


# --- reading pybind11's signatures ---------------------------------------------------------

def _parse_type(text: str, i: int = 0) -> Tuple[_Type, int]:
    """The annotation starting at text[i] and the index after it."""
    j = i
    while j < len(text) and text[j] not in "[],":
        j += 1
    name = text[i:j].strip()
    args: List[_Type] = []
    if j < len(text) and text[j] == "[":
        j += 1
        while j < len(text) and text[j] != "]":
            if text[j] == "[":  # Callable[[a, b], r]: the argument list as one "list" type
                inner, j = _parse_list(text, j)
                args.append(inner)
            else:
                arg, j = _parse_type(text, j)
                args.append(arg)
            while j < len(text) and text[j] in ", ":
                j += 1
        j += 1
    return _Type(name, args), j


def _parse_list(text: str, i: int) -> Tuple[_Type, int]:
    args = []
    j = i + 1
    while j < len(text) and text[j] != "]":
        arg, j = _parse_type(text, j)
        args.append(arg)
        while j < len(text) and text[j] in ", ":
            j += 1
    return _Type("[]", args), j + 1


def _annotation_end(sig: str, i: int) -> int:
    """Index where the annotation starting at sig[i] ends (", ", ")" or " = " at depth 0)."""
    depth = 0
    j = i
    while j < len(sig):
        c = sig[j]
        if c == "[":
            depth += 1
        elif c == "]":
            depth -= 1
        elif depth == 0 and (c == ")" or sig.startswith(", ", j) or sig.startswith(" = ", j)):
            return j
        j += 1
    return j


def _default_end(sig: str, i: int) -> int:
    """Index after a default's text of unknown length (balanced brackets and quotes)."""
    depth = 0
    quote = ""
    j = i
    while j < len(sig):
        c = sig[j]
        if quote:
            if c == "\\":
                j += 1
            elif c == quote:
                quote = ""
        elif c in "'\"":
            quote = c
        elif c in "([{<":
            depth += 1
        elif c in ")]}>":
            if depth == 0:
                return j
            depth -= 1
        elif c == "," and depth == 0:
            return j
        j += 1
    return j


def parameters(signature: str, defaults: Dict[str, str]) -> List[_Param]:
    """The parameters of a pybind11 signature; ``defaults`` maps names to the exact text of
    their defaults (which may hold any character)."""
    params: List[_Param] = []
    sig = signature
    i = sig.index("(") + 1
    kind = _POSITIONAL
    while i < len(sig) and sig[i] != ")":
        if sig.startswith("**", i):
            j = _annotation_end(sig, i)
            params.append(_Param(sig[i + 2:j].split(":")[0], None, True, _VAR_KEYWORD))
            i = j
        elif sig.startswith("*", i):
            j = _annotation_end(sig, i)
            if j == i + 1:
                kind = _KEYWORD_ONLY
            else:
                params.append(_Param(sig[i + 1:j].split(":")[0], None, True, _VAR_POSITIONAL))
                kind = _KEYWORD_ONLY
            i = j
        elif sig.startswith("/", i):
            for p in params:
                p.kind = _POSITIONAL_ONLY
            i += 1
        else:
            colon = sig.index(":", i)
            name = sig[i:colon]
            start = colon + 2
            end = _annotation_end(sig, start)
            type_, _ = _parse_type(sig[start:end])
            i = end
            has_default = sig.startswith(" = ", i)
            if has_default:
                i += 3
                text = defaults.get(name)
                i = i + len(text) if text is not None and sig.startswith(text, i) \
                    else _default_end(sig, i)
            params.append(_Param(name, type_, has_default, kind))
        if sig.startswith(", ", i):
            i += 2
    return params


# --- binding arguments to parameters ----------------------------------------------------------

def _bind(params: List[_Param], args: Sequence[Any],
          kwargs: Dict[str, Any]) -> List[Tuple[_Param, Any]]:
    """(parameter, value) of each argument given, as Python binds them.

    :raises _ArityError: too many or missing arguments, an unknown or repeated keyword.
    """
    positional = [p for p in params if p.kind in (_POSITIONAL_ONLY, _POSITIONAL)]
    var_positional = any(p.kind == _VAR_POSITIONAL for p in params)
    var_keyword = any(p.kind == _VAR_KEYWORD for p in params)
    if len(args) > len(positional) and not var_positional:
        raise _ArityError(f"takes {_count(len(positional), 'positional argument')} but "
                          f"{len(args)} were given")
    bound: Dict[str, Tuple[_Param, Any]] = {}
    for p, value in zip(positional, args):
        bound[p.name] = (p, value)
    by_name = {p.name: p for p in params if p.kind in (_POSITIONAL, _KEYWORD_ONLY)}
    for key, value in kwargs.items():
        named = by_name.get(key)
        if named is None:
            if var_keyword:
                continue
            raise _ArityError(f"got an unexpected keyword argument '{key}'")
        if key in bound:
            raise _ArityError(f"got multiple values for argument '{key}'")
        bound[key] = (named, value)
    missing = [p.name for p in params
               if p.kind in (_POSITIONAL_ONLY, _POSITIONAL, _KEYWORD_ONLY)
               and not p.default and p.name not in bound]
    if missing:
        names = ", ".join(f"'{m}'" for m in missing)
        raise _ArityError(f"missing required argument{'s' if len(missing) > 1 else ''}: {names}")
    return list(bound.values())


def _count(n: int, what: str) -> str:
    return f"{n} {what}{'' if n == 1 else 's'}"


# --- checking values against annotations (pybind11's casters' rules) ------------------------

def _resolve(dotted: str) -> Optional[type]:
    module, _, name = dotted.rpartition(".")
    try:
        value = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError, ValueError):
        return None
    return value if isinstance(value, type) else None


def _is_sequence(v: Any) -> bool:
    # PySequence_Check, without str and bytes (pybind11's list caster refuses them)
    return hasattr(type(v), "__getitem__") and not isinstance(v, (dict, str, bytes, bytearray))


def _mismatch(t: _Type, v: Any) -> Optional[Tuple[str, _Type]]:
    """None when ``v`` fits annotation ``t``; else (path to the offending element, its type)."""
    name = t.name
    if name in _ANY or not name:
        return None
    if name == "Optional":
        return None if v is None else _mismatch(t.args[0], v)
    if name == "Union":
        found = [_mismatch(a, v) for a in t.args]
        return None if any(f is None for f in found) else ("", t)
    if name in ("int", "int_"):
        # pybind11 converts a bool to an int; the library's counts (int_arg) and checked
        # Python functions do not: True is no count.
        ok = not isinstance(v, (bool, np.bool_)) and (
            isinstance(v, int) or (hasattr(type(v), "__index__")
                                   and not isinstance(v, (float, str, bytes))))
        return None if ok else ("", t)
    if name in ("float", "float_"):
        ok = not isinstance(v, (str, bytes)) and (
            isinstance(v, (int, float)) or hasattr(type(v), "__float__")
            or hasattr(type(v), "__index__"))
        return None if ok else ("", t)
    if name == "str":
        return None if isinstance(v, (str, bytes, bytearray)) else ("", t)
    if name == "bytes":
        return None if isinstance(v, bytes) else ("", t)
    if name == "bool":
        return None if v is None or hasattr(type(v), "__bool__") else ("", t)
    if name in ("List", "Sequence", "sequence"):
        if not _is_sequence(v):
            return ("", t)
        if t.args:
            for i, x in enumerate(v):
                m = _mismatch(t.args[0], x)
                if m is not None:
                    return (f"[{i}]{m[0]}", m[1])
        return None
    if name in ("Set", "set", "frozenset"):
        if not isinstance(v, (set, frozenset)):
            return ("", t)
        for x in v:
            m = _mismatch(t.args[0], x) if t.args else None
            if m is not None:
                return ("[...]", m[1])
        return None
    if name in ("Dict", "dict"):
        if not isinstance(v, dict):
            return ("", t)
        if len(t.args) == 2:
            for key, value in v.items():
                m = _mismatch(t.args[0], key)
                if m is not None:
                    return (f" key {key!r}", m[1])
                m = _mismatch(t.args[1], value)
                if m is not None:
                    return (f"[{key!r}]{m[0]}", m[1])
        return None
    if name == "Tuple":
        if not _is_sequence(v) or len(v) != len(t.args):
            return ("", t)
        for i, (a, x) in enumerate(zip(t.args, v)):
            m = _mismatch(a, x)
            if m is not None:
                return (f"[{i}]{m[0]}", m[1])
        return None
    if name in ("tuple", "list"):
        return None if isinstance(v, {"tuple": tuple, "list": list}[name]) else ("", t)
    if name in ("Callable", "function"):
        return None if callable(v) else ("", t)
    if name in ("iterable", "Iterable"):
        try:
            iter(v)
        except TypeError:
            return ("", t)
        return None
    if name == "iterator":
        return None if hasattr(type(v), "__next__") else ("", t)
    if name == "numpy.ndarray" or name.startswith("numpy.ndarray"):
        try:
            np.asarray(v, dtype=t.args[0].name if t.args else None)
        except (TypeError, ValueError):
            return ("", t)
        return None
    if "." in name:
        cls = _resolve(name)
        if cls is None:
            return None
        return None if isinstance(v, cls) else ("", t)
    return None  # an annotation these rules do not know: not blamed


def accepts(t: _Type) -> str:
    """What an annotation accepts, in words: "an int", "a list of str", "a Framework"."""
    name = t.name
    if name == "Optional":
        return f"None or {accepts(t.args[0])}"
    if name == "Union":
        return " or ".join(accepts(a) for a in t.args)
    if name in ("List", "Sequence", "sequence", "list"):
        return f"a list of {_bare(t.args[0])}" if t.args else "a list"
    if name in ("Set", "set"):
        return f"a set of {_bare(t.args[0])}" if t.args else "a set"
    if name in ("Dict", "dict"):
        return f"a dict of {_bare(t.args[0])} to {_bare(t.args[1])}" if len(t.args) == 2 \
            else "a dict"
    if name == "Tuple":
        return f"a ({', '.join(_bare(a) for a in t.args)}) tuple"
    if name in ("Callable", "function"):
        return "a callable"
    if name.startswith("numpy.ndarray"):
        return f"an array of {t.args[0].name.replace('numpy.', '')}" if t.args else "an array"
    if name in ("iterable", "Iterable"):
        return "an iterable"
    bare = _bare(t)
    return f"{'an' if bare[:1].lower() in 'aeiou' else 'a'} {bare}"


def _bare(t: _Type) -> str:
    name = t.name
    if name in ("float", "float_"):
        return "number"
    if name in ("int", "int_", "str", "bool", "bytes", "tuple", "dict"):
        return name
    if name in ("List", "Sequence", "Set", "Dict", "Tuple", "Optional", "Union", "Callable") \
            or name.startswith("numpy.ndarray"):
        return accepts(t).split(" ", 1)[1] if accepts(t).startswith(("a ", "an ")) \
            else accepts(t)
    return name.rsplit(".", 1)[-1]


def require(ok: bool, function: str, name: str, accepts: str, value: Any) -> None:
    """Raises the TypeError "<function>: <name> must be <accepts>, got <value>" unless ``ok``
    (for checks by hand where a decorator would cost too much per call)."""
    if not ok:
        raise TypeError(f"{function}: {name} must be {accepts}, got {describe(value)}")


def describe(value: Any) -> str:
    """A value for a message: its type and, for plain data, its repr ("str 'x'", "None")."""
    if value is None:
        return "None"
    kind = type(value).__name__
    plain = (int, float, complex, str, bytes, bool, list, tuple, dict, set)
    if isinstance(value, plain) or type(value).__module__ == "numpy":
        try:
            text = repr(value)
        except Exception:  # a repr that fails says nothing more than the type
            return kind
        if len(text) > 60:
            text = text[:57] + "..."
        return f"{kind} {text}"
    # A class of another library is named with it: "pandas DataFrame" where a dask DataFrame is
    # expected says more than "DataFrame".
    root = type(value).__module__.split(".")[0]
    if root not in ("builtins", "masterymap"):
        return f"{root} {kind}"
    return kind


def _clean(signature: str, is_method: bool) -> str:
    """A signature as users write calls: no module prefixes, no ``self``, no return type."""
    text = signature.rsplit(" -> ", 1)[0].replace("masterymap._core.bkt.", "bkt.") \
        .replace("masterymap._core.", "")
    if is_method:
        inner = text[1:-1]
        comma = _annotation_end(inner, inner.index(":") + 2) if ":" in inner else len(inner)
        text = "(" + inner[comma + 2:] + ")" if comma < len(inner) else "()"
    return text


# --- the message ------------------------------------------------------------------------------

def explain(display: str, accessor: bool, overloads: Sequence[Tuple[str, bool, Dict[str, str]]],
            args: Sequence[Any], kwargs: Dict[str, Any], failure: str,
            refused: Optional[Tuple[str, str, str]] = None,
            refused_days: Optional[str] = None) -> Any:
    """The message of the TypeError that replaces pybind11's (or a ValueError to raise instead,
    for an int out of the range of its C++ type).

    :param display: the function as users call it: ``"Rule()"``, ``"Roster.add()"``, or
        ``"Rule.min_evidence"`` for a property (then ``accessor``).
    :param overloads: (signature, is_method, {name: default text}) of each overload.
    :param failure: ``"arguments"`` (no overload matched) or ``"conversion"`` (a value inside
        an argument could not be converted).
    :param refused: (value, lo, hi) when a strict integer parameter (``int_arg`` in
        bindings.hpp) refused the integer ``value`` for being outside [lo, hi]: the message
        then names that range.
    :param refused_days: the repr of a value a number-of-days parameter (``days_arg`` in
        bindings.hpp: a float >= 0, finite, no bool) refused: the float parameter given it is
        named, as "a number of days" (TypeError) or "a number of days >= 0" (ValueError).
    """
    try:
        return _explain(display, accessor, overloads, list(args), dict(kwargs), failure,
                        refused, refused_days)
    except ValueError as e:  # the call's problem is a value, not a type
        return e
    except Exception as e:  # never hide the call's problem behind a bug here
        return f"{display}: wrong argument types ({type(e).__name__} while explaining: {e})"


def _integer(value: Any) -> Optional[int]:
    """``value`` as an int when it is a Python or numpy integer (never a bool), else None."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        return None
    return int(value)


def _out_of_range(value: int, refused: Optional[Tuple[str, str, str]]) -> bool:
    """Whether the C++ side refused ``value`` for its range: noted by a strict parameter, or
    beyond what every integer parameter takes (0 to 2**31 - 1)."""
    return (refused is not None and refused[0] == str(value)) or value < 0 or value >= 2**31


def _range_hint(value: int, refused: Optional[Tuple[str, str, str]] = None) -> str:
    """Why an int the C++ side refused is out of range: the range when the parameter noted
    it (``refused``: (value, lo, hi)), else the direction."""
    if refused is not None and refused[0] == str(value):
        return f" (it must be from {refused[1]} to {refused[2]})"
    if value < 0:
        return " (it must not be negative)"
    return " (too large)"


def _days_refused(t: _Type, value: Any, refused_days: Optional[str]) -> Optional[bool]:
    """Whether a days_arg refused ``value`` (given a ``float`` parameter, its repr noted): True
    when it is no number (a bool, a str ...), False when it is a number below 0 or not finite;
    None when the parameter did not refuse it."""
    if refused_days is None or t.name != "float":
        return None
    try:
        if repr(value) != refused_days:
            return None
    except Exception:  # a repr that fails is not the one noted
        return None
    if isinstance(value, (bool, np.bool_, str, bytes, bytearray)):
        return True
    try:
        x = float(value)
    except (TypeError, ValueError, OverflowError):
        return True
    if x >= 0 and x != float("inf"):  # (NaN is not >= 0)
        return None  # a good number of days: not the value refused
    return False


def _explain(display: str, accessor: bool, overloads: Sequence[Tuple[str, bool, Dict[str, str]]],
             args: List[Any], kwargs: Dict[str, Any], failure: str,
             refused: Optional[Tuple[str, str, str]] = None,
             refused_days: Optional[str] = None) -> str:
    if accessor and args:
        value = args[-1]
        params = parameters(overloads[0][0], overloads[0][2])
        if params and params[-1].type is not None:
            m = _mismatch(params[-1].type, value)
            if m is not None:
                return f"{display} must be {accepts(m[1])}, got {describe(value)}"
            number = _integer(value)
            if _int_annotated(params[-1].type) and number is not None \
                    and _out_of_range(number, refused):
                raise ValueError(f"{display} is out of range: {number}"
                                 + _range_hint(number, refused))
        return f"{display}: cannot be set to {describe(value)}"
    arity: Optional[str] = None
    candidates = []
    for signature, is_method, defaults in overloads:
        params = parameters(signature, defaults)
        call_args = args
        if is_method and params:  # self (for __init__, the new instance)
            params, call_args = params[1:], args[1:]
        try:
            bound = _bind(params, call_args, kwargs)
        except _ArityError as e:
            arity = arity or str(e)
            continue
        problems, maybe = [], []
        for p, value in bound:
            if p.type is None:
                continue
            days = _days_refused(p.type, value, refused_days)
            if days:  # no number: a wrong type
                problems.append(f"{p.name} must be a number of days, got {describe(value)}")
                continue
            m = _mismatch(p.type, value)
            if m is not None:
                path, expected = m
                text = (f"{p.name}{path} must be {accepts(expected)}, got "
                        f"{describe(_element(value, path))}")
                # None for a bound class may be accepted (a pointer parameter) or not (a
                # reference): blamed only when nothing else is wrong, and never for a failed
                # conversion inside the body (the arguments themselves were accepted then).
                if value is None and "." in expected.name:
                    maybe.append(text)
                else:
                    problems.append(text)
        if not problems and failure == "arguments":
            # An int out of its range is the call's problem before a None that may be fine.
            _raise_if_out_of_range(display, params, bound, refused)
            for p, value in bound:  # as are days below 0 or not finite
                if p.type is not None and _days_refused(p.type, value, refused_days) is False:
                    raise ValueError(f"{display}: {p.name} must be a number of days >= 0, "
                                     f"got {describe(value)}")
            problems = maybe
        candidates.append((len(problems), problems, bound))
    forms = " or ".join(f"{display[:-2] if display.endswith('()') else display}"
                        f"{_clean(s, m)}" for s, m, _ in overloads)
    if not candidates:
        if len(overloads) == 1:
            return f"{display} {arity}"
        return f"{display}: the arguments match none of {forms}"
    candidates.sort(key=lambda c: c[0])
    count, problems, bound = candidates[0]
    if count:
        return f"{display}: " + "; ".join(problems)
    given = ", ".join(describe(a) for a in (args[1:] if overloads[0][1] else args))
    what = "a value inside an argument could not be converted" if failure == "conversion" \
        else "the arguments do not match"
    return f"{display}: {what}; it takes {forms} (given: {given or 'no arguments'})"


def _raise_if_out_of_range(display: str, params: Any, bound: Any,
                           refused: Optional[Tuple[str, str, str]]) -> None:
    """When no argument breaks its annotation: an int (Python or numpy) out of the range of its
    C++ type (a count given a negative number, or one past the 32-bit counts most parameters
    are) is a wrong value, not a wrong type: raises the ValueError naming it."""
    for p, value in bound:
        number = _integer(value)
        if p.type is not None and _int_annotated(p.type) and number is not None \
                and _out_of_range(number, refused):
            raise ValueError(f"{display}: {p.name} is out of range: {number}"
                             + _range_hint(number, refused))


def _int_annotated(t: _Type) -> bool:
    return t.name == "int" or (t.name == "Optional" and bool(t.args) and t.args[0].name == "int")


def _element(value: Any, path: str) -> Any:
    """The element of ``value`` a mismatch path ("[2][1]") points at (the value itself when the
    path is not plain indices)."""
    if not path.startswith("["):
        return value
    try:
        for part in path[1:-1].split("]["):
            value = value[ast.literal_eval(part)]
    except Exception:  # a path into something that cannot be indexed again
        return value
    return value


# --- the package's own Python functions --------------------------------------------------------

def checked(display: Any = None) -> Any:
    """Decorator: before each call, checks the arguments given against the function's
    annotations and raises TypeError "<function>: <parameter> must be <what it accepts>, got
    <value>" (unknown keywords and missing arguments too, naming the function).

    For the package's Python functions that do real work per call (fitting, reading, batches);
    the check costs a few microseconds. ``display`` names the function in messages (default:
    ``<module>.<qualified name>()``, ``bkt.Model()`` for a constructor). Annotations it cannot
    resolve, ``Any`` and ``self`` are not checked.
    """
    def decorate(f: Any) -> Any:
        sig = inspect.signature(f)
        if isinstance(display, str):
            name = display
        else:
            module = f.__module__.rpartition(".")[2]
            qual = f.__qualname__[:-len(".__init__")] if f.__qualname__.endswith(".__init__") \
                else f.__qualname__
            name = f"{module}.{qual}()"
        hints: Dict[str, Any] = {}
        resolved = []

        def resolve() -> None:
            for p in sig.parameters.values():
                if p.name in ("self", "cls") or p.annotation is p.empty:
                    continue
                ann = p.annotation
                try:
                    for _ in range(2):  # a quoted annotation is a string within the string
                        if isinstance(ann, str):
                            ann = eval(ann, f.__globals__)  # the module's own annotation text
                except Exception:  # a name only a type checker knows: not checked
                    continue
                hints[p.name] = ann
            resolved.append(True)

        @functools.wraps(f)
        def call(*args: Any, **kwargs: Any) -> Any:
            if not resolved:
                resolve()
            try:
                bound = sig.bind(*args, **kwargs)
            except TypeError as e:
                raise TypeError(f"{name} {e}") from None
            for pname, value in bound.arguments.items():
                hint = hints.get(pname)
                if hint is None:
                    continue
                values = value.items() if sig.parameters[pname].kind is \
                    inspect.Parameter.VAR_KEYWORD else [(pname, value)]
                for key, v in values:
                    m = _hint_mismatch(hint, v)
                    if m is not None:
                        path, expected = m
                        raise TypeError(f"{name}: {key}{path} must be {expected}, got "
                                        f"{describe(_element(v, path))}")
            return f(*args, **kwargs)

        return call

    return decorate(display) if callable(display) else decorate


# typing.Union, and the type of `X | Y` (Python 3.10 on)
_UNIONS = (Union, getattr(types, "UnionType", Union))


def _hint_mismatch(hint: Any, v: Any) -> Optional[Tuple[str, str]]:
    """None when ``v`` fits the type hint; else (path to the offending element, what the hint
    at that place accepts, in words)."""
    if hint is Any or hint is object:
        return None
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is typing.Annotated:  # Annotated[T, "what T accepts, in words"]
        m = _hint_mismatch(args[0], v)
        return None if m is None else (m[0], _hint_accepts(hint) if not m[0] else m[1])
    if origin in _UNIONS:
        if any(_hint_mismatch(a, v) is None for a in args):
            return None
        words = [_hint_accepts(a) for a in args if a is not type(None)]
        return ("", " or ".join((["None"] if type(None) in args else []) + words))
    if hint is type(None):
        return None if v is None else ("", "None")
    if hint is bool:
        return None if isinstance(v, (bool, int, np.bool_, np.integer)) else ("", "a bool")
    if hint is int:
        return None if isinstance(v, (int, np.integer)) else ("", "an int")
    if hint is float:
        return None if isinstance(v, numbers.Real) else ("", "a number")
    if hint is str:
        return None if isinstance(v, str) else ("", "a str")
    if origin in (collections.abc.Mapping, dict):
        if not isinstance(v, collections.abc.Mapping):
            return ("", _hint_accepts(hint))
        if len(args) == 2:
            for key, value in v.items():
                m = _hint_mismatch(args[0], key)
                if m is not None:
                    return (f" key {key!r}", m[1])
                m = _hint_mismatch(args[1], value)
                if m is not None:
                    return (f"[{key!r}]{m[0]}", m[1])
        return None
    if origin in (collections.abc.Sequence, list, collections.abc.Iterable):
        if isinstance(v, (str, bytes, collections.abc.Mapping)) or not (
                hasattr(v, "__iter__") and (origin is collections.abc.Iterable
                                            or hasattr(v, "__len__"))):
            return ("", _hint_accepts(hint))
        if args and isinstance(v, (list, tuple)):
            for i, x in enumerate(v):
                m = _hint_mismatch(args[0], x)
                if m is not None:
                    return (f"[{i}]{m[0]}", m[1])
        return None
    if origin is collections.abc.Callable or hint is collections.abc.Callable:
        return None if callable(v) else ("", "a callable")
    if hint is tuple or origin is tuple:
        return None if isinstance(v, (tuple, list)) else ("", "a tuple")
    cls = origin if isinstance(origin, type) else hint
    if isinstance(cls, type):
        return None if isinstance(v, cls) else ("", _hint_accepts(hint))
    return None  # a hint these rules do not know: not checked


def _hint_accepts(hint: Any) -> str:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is typing.Annotated:
        words = [a for a in args[1:] if isinstance(a, str)]
        return words[0] if words else _hint_accepts(args[0])
    if origin in _UNIONS:
        return " or ".join(_hint_accepts(a) for a in args)
    if hint is type(None):
        return "None"
    simple = {bool: "a bool", int: "an int", float: "a number", str: "a str",
              tuple: "a tuple", object: "any object"}
    if hint in simple:
        return simple[hint]
    if origin in (collections.abc.Mapping, dict):
        return "a mapping" + (f" of {_plain(args[0])} to {_plain(args[1])}"
                              if args and args[1] is not Any else "")
    if origin in (collections.abc.Sequence, list):
        return "a sequence" + (f" of {_plain(args[0])}" if args and args[0] is not Any else "")
    if origin is collections.abc.Iterable:
        return "an iterable" + (f" of {_plain(args[0])}" if args and args[0] is not Any else "")
    if origin is collections.abc.Callable or hint is collections.abc.Callable:
        return "a callable"
    cls = origin if isinstance(origin, type) else hint
    if isinstance(cls, type):
        name = "os.PathLike" if cls is os.PathLike else cls.__name__
        return f"{'an' if name[:1].lower() in 'aeiou' else 'a'} {name}"
    return str(hint)


def _plain(hint: Any) -> str:
    words = _hint_accepts(hint)
    return words.split(" ", 1)[1] if words.startswith(("a ", "an ")) else words
