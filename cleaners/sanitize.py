"""Caps on a page's markup before it is parsed, so that parsing and all that follows are linear.

An HTML tree builder walks its stack of open elements for most tags it meets, and lexbor compares
each attribute of a tag with the ones before it: 100,000 nested elements or attributes make a parse
take minutes. So before parsing, start tags that would open elements deeper than `MAX_DEPTH` are
dropped (their text stays), a tag keeps its first `MAX_ATTRIBUTES` attributes (and the page its
first `MAX_PAGE_ATTRIBUTES`: each costs the parsers memory), and a page is cut
after `MAX_ELEMENTS` elements, `MAX_TOKENS` tags read or `MAX_PAGE_TEXT` characters of text.

Real pages (AEB, WCXB, the Vietnamese pages: 1,200) nest fewer than 60 levels and carry at most
136 attributes on a tag, 10,300 elements and 610,000 characters of text: they pass unchanged.
Most are shown shallow by a quick bound (one regex pass); the others are followed tag by tag with
the tree builder's own rules (implied ends, scopes, the formatting elements it reopens),
simplified so as never to count less than it nests.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import islice

MAX_DEPTH = 100  # open elements; real pages nest under 60, libxml2 (trafilatura) stops at 256
MAX_ATTRIBUTES = 256  # on a tag
MAX_PAGE_ATTRIBUTES = 500_000  # on the page's elements (real pages: 27,000 at most)
MAX_ELEMENTS = 50_000  # start tags that reach the parser
MAX_TOKENS = 1_000_000  # tags, comments and the like read, dropped ones included
MAX_PAGE_TEXT = 2_000_000  # characters outside tags, scripts and comments
# Paragraph-level tags may open this many levels past MAX_DEPTH, so that text keeps its paragraph.
_LEAF_SLACK = 8
# A quick bound up to this lets a page through unfollowed: it nests at most a few times deeper.
_SHALLOW = 160
# Up to this quick bound the parser may build the tree before its depth is checked: it walks at
# most a few times this many open elements a tag (12% of real pages are past _SHALLOW, all far
# within this; following one tag by tag costs ten times its parse).
_CHECKED = 1200

# One attribute as the HTML tokenizer reads it: "/" separates like a space, a quote inside a name
# or an unquoted value is just a character, an unclosed quote runs to the end of the page.
_ATTRIBUTE = (
    r"[\t\n\f\r /]*+[^\t\n\f\r />][^\t\n\f\r /=>]*+"
    r"""(?:[\t\n\f\r ]*+=[\t\n\f\r ]*+(?:"[^"]*+(?:"|\Z)|'[^']*+(?:'|\Z)|[^\t\n\f\r >]*+))?+"""
)
_ATTRIBUTES = rf"(?:{_ATTRIBUTE}){{0,{MAX_ATTRIBUTES}}}+[\t\n\f\r /]*+"
_ALL_ATTRIBUTES = re.compile(rf"(?:{_ATTRIBUTE})*+[\t\n\f\r /]*+")
_ONE_ATTRIBUTE = re.compile(_ATTRIBUTE)
_WS = r"[\t\n\f\r />]"
# Script text ends at </script, except inside "<!--" where a nested "<script" holds it open.
_SCRIPT_END = rf"</(?i:script){_WS}"
_DOUBLE_ESCAPED = (
    rf"(?:[^<-]++|-(?!-+>)|<(?!/(?i:script){_WS}))*+(?:</(?i:script)(?={_WS})|(?=--+>))"
)
_ESCAPED = (
    rf"(?:-*+>|(?:[^<-]++|-(?!-+>)|<(?!/(?i:script){_WS}|(?i:script){_WS})"
    rf"|<(?i:script)(?={_WS}){_DOUBLE_ESCAPED})*+(?:--+>)?)"
)
_SCRIPT_TEXT = rf"(?:[^<]++|<(?!/(?i:script){_WS}|!--)|<!--{_ESCAPED})*+"
_RAW_TEXT = r"(?:[^<]++|<(?!/(?i:\2)" + _WS + r"))*+"  # up to the element's own end tag
# A token: an element with raw text (its text swallowed, as in HTML), a CDATA section, a tag, a
# comment, or another "<!", "<?", "</" construct. A missing ">" group: more than MAX_ATTRIBUTES
# attributes, or the page ends inside the tag.
_RAW_TEXT_TOKEN = (
    rf"(?i:(script)|(style|xmp|iframe|noembed|noframes|textarea|title))(?={_WS})({_ATTRIBUTES})"
    rf"(?:(>)((?(1){_SCRIPT_TEXT}|{_RAW_TEXT})))?"
)
_OTHER_TOKENS = (
    r"(!\[CDATA\[)((?:[^\]]++|\](?!\]>))*+)(?:\]\]>)?"
    rf"|(/?)([a-zA-Z][^\t\n\f\r />]*+)({_ATTRIBUTES})(>)?"
    r"|!--(?:-?>|(?:[^-]++|-(?!-!?>))*+(?:--!?>)?)"
    r"|[!?/][^>]*+>?"
)
_TOKEN = re.compile(rf"<(?:{_RAW_TEXT_TOKEN}|{_OTHER_TOKENS})")
# Inside <svg> and <math> no element has raw text: the same groups, the first five unused.
_FOREIGN_TOKEN = re.compile(rf"<(?:()()()()()(?!)|{_OTHER_TOKENS})")
_FOREIGN = re.compile(r"<(?i:svg|math)[\t\n\f\r />]")

_VOID = frozenset(
    "area base basefont bgsound br col embed frame hr image img input keygen link meta param "
    "source track wbr".split()
)
# Elements whose content is text up to their end tag (in HTML, not inside <svg> or <math>).
_RAW_TEXT_BODY = {  # each element's raw text, read from its start tag's end
    name: re.compile(_SCRIPT_TEXT if name == "script" else _RAW_TEXT.replace(r"\2", name))
    for name in "script style xmp iframe noembed noframes textarea title".split()
}
_FORMATTING = frozenset("a b big code em font i nobr s small strike strong tt u".split())
_SPECIAL = frozenset(
    "address applet area article aside base basefont bgsound blockquote body br button caption "
    "center col colgroup dd details dir div dl dt embed fieldset figcaption figure footer form "
    "frame frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html iframe img input keygen li link "
    "listing main marquee menu meta nav noembed noframes noscript object ol p param plaintext pre "
    "script search section select source style summary table tbody td template textarea tfoot th "
    "thead title tr track ul wbr xmp".split()
)
_SCOPE = frozenset("applet caption html table td th marquee object template".split())
_INTEGRATION = frozenset("mi mo mn ms mtext annotation-xml foreignobject desc title".split())
_MARKERS = frozenset("applet object marquee template td th caption".split())
_CLOSES_P = frozenset(
    "address article aside blockquote center details dialog dir div dl fieldset figcaption "
    "figure footer header hgroup main menu nav ol p search section summary ul h1 h2 h3 h4 h5 h6 "
    "pre listing form li dd dt plaintext table hr xmp".split()
)
_HEADINGS = frozenset("h1 h2 h3 h4 h5 h6".split())
_LEAVES = frozenset("p h1 h2 h3 h4 h5 h6 li dd dt option tr td th".split())
_BREAKS_FOREIGN = frozenset(
    "b big blockquote body br center code dd div dl dt em embed h1 h2 h3 h4 h5 h6 head hr i img "
    "li listing menu meta nobr ol p pre ruby s small span strong strike sub sup table tt u ul "
    "var font".split()
)
_TABLE_SECTIONS = frozenset("tbody thead tfoot".split())
_TABLE_PARTS = frozenset("td th tr tbody thead tfoot caption colgroup".split())
_NOT_TEXT = frozenset(("script", "style"))  # raw text that is no page text
_VOID_ANY_CASE = _VOID | {name.upper() for name in _VOID}
# (not optgroup, nor rb, rt, rp: outside a <select> or a <ruby> they nest, as fuzzing found)
_CLOSE_LIKE = frozenset("p li dd dt option td th tr tbody thead tfoot colgroup caption".split())
_IGNORED = frozenset("html head body".split())  # the parser merges them; they never nest

_TOMBSTONE = ""  # an element that left the stack from its middle; counts for nothing

# What the tree builder does with a tag name, as bits (looked up once per name).
_SPECIAL_BIT = 1  # ends the formatting element that encloses it (misnesting)
_LI_STOP_BIT = 2  # special, but not address, div or p: an <li> does not close across it
_SCOPE_BIT = 4  # bounds "in scope"
_BUTTON_BIT = 8
_TABLE_BIT = 16  # table, template: bounds "in table scope"
_MARKER_BIT = 32  # starts a new list of formatting elements
_NAMESPACE_BIT = 64  # svg, math
_LISTED = _SPECIAL_BIT | _LI_STOP_BIT | _SCOPE_BIT | _BUTTON_BIT | _TABLE_BIT | _MARKER_BIT
_NAME_BITS: dict[str, int] = {}


def _name_bits(name: str) -> int:
    """The bits of an HTML element name (not inside <svg> or <math>)."""
    bits = _NAME_BITS.get(name)
    if bits is None:
        bits = 0
        if name in _SPECIAL:
            bits |= _SPECIAL_BIT | (0 if name in ("address", "div", "p") else _LI_STOP_BIT)
        if name in _SCOPE:
            bits |= _SCOPE_BIT
        if name == "button":
            bits |= _BUTTON_BIT
        if name in ("table", "template"):
            bits |= _TABLE_BIT
        if name in _MARKERS:
            bits |= _MARKER_BIT
        if name in ("svg", "math"):
            bits |= _NAMESPACE_BIT
        if len(_NAME_BITS) < 10_000:  # names are the page's to invent: keep the cache small
            _NAME_BITS[name] = bits
    return bits


@dataclass(frozen=True)
class Bounded:
    """The markup as it will be parsed, and what was cut from it."""

    html: str
    notes: tuple[str, ...] = ()


class _Region:
    """The formatting elements listed since the last marker (a cell, an object, a template)."""

    def __init__(self) -> None:
        self.entries: dict[str, list[int]] = {}  # key -> [open, closed implicitly]
        self.closed_keys: dict[str, list[str]] = {}  # name -> keys closed implicitly, in order
        self.closed = 0

    def add(self, key: str) -> int:
        """List a formatting element; return how many closed entries the list dropped for it."""
        entries = self.entries.setdefault(key, [0, 0])
        entries[0] += 1
        if entries[0] + entries[1] > 3 and entries[1]:  # Noah's ark keeps three alike
            entries[1] -= 1
            self.closed -= 1
            return 1
        return 0

    def close(self, key: str, *, implicitly: bool) -> int:
        """An open entry was closed; return 1 when it stays listed (closed implicitly)."""
        entries = self.entries.get(key)
        if entries is None or entries[0] == 0:
            return 0
        entries[0] -= 1
        if not implicitly:
            return 0
        entries[1] += 1
        self.closed += 1
        self.closed_keys.setdefault(key.split(" ", 1)[0], []).append(key)
        return 1

    def forget(self, name: str) -> int:
        """An end tag for a closed entry named `name`: the parser unlists it; 1 if one was."""
        keys = self.closed_keys.get(name)
        while keys:
            entries = self.entries[keys.pop()]
            if entries[1]:  # else Noah's ark dropped it already
                entries[1] -= 1
                self.closed -= 1
                return 1
        return 0


class _OpenElements:
    """The parser's stack of open elements, simplified, with the formatting elements it reopens.

    `depth` never counts less than the parser nests: formatting elements closed implicitly stay
    counted (the parser may reopen them), ends that the parser might ignore are ignored.
    """

    def __init__(self) -> None:
        self.names: list[str] = []
        self.bits: list[int] = []
        self.keys: list[str | None] = []  # formatting elements: name and attributes
        self.where: dict[str, list[int]] = {}  # name -> indices of the open elements
        # indices of the open elements with each bit (-1 at the bottom)
        self.specials = [-1]
        self.li_stops = [-1]
        self.scopes = [-1]
        self.buttons = [-1]
        self.tables = [-1]
        self.markers = [-1]
        self.namespaces = [-1]  # <svg>, <math> and their HTML integration points
        self.foreign = False  # inside <svg> or <math>, not in one of their integration points
        self.regions: list[_Region] = [_Region()]  # formatting elements listed per marker
        self.stale = 0  # formatting elements closed implicitly, which the parser may reopen
        self.dead = 0

    @property
    def depth(self) -> int:
        """How deep the parser may be nested at this point, at most."""
        return len(self.names) - self.dead + self.stale

    def nearest(self, name: str) -> int:
        found = self.where.get(name)
        return found[-1] if found else -1

    def in_scope(self, name: str, bound: int = -1) -> int:
        """Index of the nearest open `name` reachable without crossing a scope boundary, or -1."""
        index = self.nearest(name)
        return index if index >= 0 and index >= self.scopes[-1] and index >= bound else -1

    def push(self, name: str, key: str | None = None) -> None:
        """Open an element."""
        index = len(self.names)
        if self.foreign and name not in _BREAKS_FOREIGN:
            bits = (_SCOPE_BIT | _NAMESPACE_BIT) if name in _INTEGRATION else 0
        else:
            bits = _name_bits(name)
        self.names.append(name)
        self.bits.append(bits)
        self.keys.append(key)
        found = self.where.get(name)
        if found is None:
            self.where[name] = [index]
        else:
            found.append(index)
        if bits & _LISTED:
            if bits & _SPECIAL_BIT:
                self.specials.append(index)
            if bits & _LI_STOP_BIT:
                self.li_stops.append(index)
            if bits & _SCOPE_BIT:
                self.scopes.append(index)
            if bits & _BUTTON_BIT:
                self.buttons.append(index)
            if bits & _TABLE_BIT:
                self.tables.append(index)
            if bits & _MARKER_BIT:
                self.markers.append(index)
                self.regions.append(_Region())
        if bits & _NAMESPACE_BIT:
            self.namespaces.append(index)
            self.foreign = name in ("svg", "math")
        if key is not None:
            self.stale -= self.regions[-1].add(key)

    def pop_to(self, index: int, *, explicit: bool = False) -> None:
        """Close the elements from the top down to `index` included (explicit: by its end tag)."""
        names, all_bits, keys = self.names, self.bits, self.keys
        while len(names) > index:
            top = len(names) - 1
            name = names.pop()
            bits = all_bits.pop()
            key = keys.pop()
            if name == _TOMBSTONE:
                self.dead -= 1
                continue
            self.where[name].pop()
            if bits & _LISTED:
                if bits & _SPECIAL_BIT:
                    self.specials.pop()
                if bits & _LI_STOP_BIT:
                    self.li_stops.pop()
                if bits & _SCOPE_BIT:
                    self.scopes.pop()
                if bits & _BUTTON_BIT:
                    self.buttons.pop()
                if bits & _TABLE_BIT:
                    self.tables.pop()
                if bits & _MARKER_BIT:
                    self.markers.pop()
            if key is not None:
                # closed implicitly, a formatting element stays listed: the parser may reopen it
                self.stale += self.regions[-1].close(
                    key, implicitly=not (explicit and top == index)
                )
            if bits & _MARKER_BIT:
                self.stale -= self.regions.pop().closed
            if bits & _NAMESPACE_BIT:
                self.namespaces.pop()
                below = self.namespaces[-1]
                self.foreign = below >= 0 and names[below] in ("svg", "math")

    def remove(self, index: int) -> None:
        """Take the element at `index` out of the stack, leaving the ones above it open."""
        name = self.names[index]
        self.where[name].remove(index)
        key = self.keys[index]
        if key is not None:
            self.regions[-1].close(key, implicitly=False)
        self.names[index] = _TOMBSTONE
        self.bits[index] = 0
        self.keys[index] = None
        self.dead += 1

    def close_formatting(self, name: str) -> None:
        """The end tag of a formatting element, as the adoption agency algorithm treats it."""
        index = self.in_scope(name)
        if index > self.markers[-1]:
            key = self.keys[index]
            if self.specials[-1] < index:
                self.pop_to(index, explicit=True)
                return
            # misnested (a block opened inside it): the parser takes it out of the stack and
            # puts a copy inside the block, which the next end of the block closes implicitly
            self.remove(index)
            if key is not None:
                self.push(name, key)
            return
        self.stale -= self.regions[-1].forget(name)  # closed already: the parser drops it

    def start(self, name: str, key: str | None, limit: int) -> bool:
        """A start tag: close what it implies, then open it unless that would pass `limit`."""
        if self.foreign:
            if name not in _BREAKS_FOREIGN:
                return self._open(name, None, limit)
            while self.foreign:
                self.pop_to(len(self.names) - 1)
        action = _START_ACTIONS.get(name)
        if action is not None and not action(self, name):
            return True  # the parser ignores it, or it opens nothing
        return self._open(name, key, limit)

    def close_p(self) -> None:
        """Close an open <p> in button scope, as block-level start tags do."""
        index = self.in_scope("p", self.buttons[-1])
        if index >= 0:
            self.pop_to(index)

    def _open(self, name: str, key: str | None, limit: int) -> bool:
        if len(self.names) - self.dead + self.stale >= limit + (
            _LEAF_SLACK if name in _LEAVES else 0
        ):
            return False
        self.push(name, key)
        return True

    def end(self, name: str) -> None:
        """An end tag: close the element it names where the parser would."""
        if self.foreign:
            index = self.nearest(name)
            if index >= self.namespaces[-1] >= 0:
                self.pop_to(index, explicit=True)
                return
        if name in _FORMATTING:
            self.close_formatting(name)
            return
        if name == "p":
            index = self.in_scope("p", self.buttons[-1])
        elif name == "li":
            index = self.in_scope(name)
            index = index if index > max(self.nearest("ol"), self.nearest("ul")) else -1
        elif name in _TABLE_PARTS or name == "table":
            index = self.nearest(name)
            index = index if index >= self.tables[-1] else -1
        elif name in _IGNORED:
            return
        else:
            index = self.in_scope(name)
        if index >= 0:
            self.pop_to(index, explicit=True)


# What a start tag closes before it opens; False: it opens nothing (the parser ignores it).
def _closes_p(stack: _OpenElements, name: str) -> bool:
    stack.close_p()
    return True


def _heading(stack: _OpenElements, name: str) -> bool:
    stack.close_p()
    if stack.names and stack.names[-1] in _HEADINGS:
        stack.pop_to(len(stack.names) - 1)
    return True


def _list_item(stack: _OpenElements, name: str) -> bool:
    siblings = ("li",) if name == "li" else ("dd", "dt")
    index = max(stack.nearest(sibling) for sibling in siblings)
    if index >= 0 and index > stack.li_stops[-1]:
        stack.pop_to(index)
    stack.close_p()
    return True


def _option(stack: _OpenElements, name: str) -> bool:
    # outside a <select> an <optgroup> ends only an open <option>: optgroups nest (found by make
    # fuzz: 3,700 nested optgroups with a furniture id cost the prunes 12 s); inside one this
    # counts deeper than the parser nests, which only flattens sooner
    if stack.names and stack.names[-1] == "option":
        stack.pop_to(len(stack.names) - 1)
    return True


def _link(stack: _OpenElements, name: str) -> bool:
    stack.close_formatting(name)  # a link inside a link ends the first one
    return True


def _button(stack: _OpenElements, name: str) -> bool:
    index = stack.in_scope("button")
    if index >= 0:
        stack.pop_to(index)
    return True


def _table(stack: _OpenElements, name: str) -> bool:
    stack.close_p()
    table = stack.tables[-1]
    cell = max(stack.nearest("td"), stack.nearest("th"), stack.nearest("caption"))
    if table >= 0 and stack.names[table] == "table" and table > cell:
        stack.pop_to(table)  # a table straight inside a table ends the first one
    return True


def _table_part(stack: _OpenElements, name: str) -> bool:
    table = stack.tables[-1]
    if table < 0 or stack.names[table] != "table":
        return False  # outside a table the parser ignores it
    cell = max(stack.nearest("td"), stack.nearest("th"))
    if cell > table:
        stack.pop_to(cell)
    if name in ("td", "th"):
        row = stack.nearest("tr")
        if row > table:
            stack.pop_to(row + 1)
    elif name == "tr":
        section = max(stack.nearest(section) for section in _TABLE_SECTIONS)
        stack.pop_to(section + 1 if section > table else table + 1)
    else:
        stack.pop_to(table + 1)
    return True


def _form(stack: _OpenElements, name: str) -> bool:
    stack.close_p()
    return stack.nearest("form") < 0  # the parser ignores a form inside a form


def _opens_nothing(stack: _OpenElements, name: str) -> bool:
    if name in _CLOSES_P:
        stack.close_p()
    return False


_START_ACTIONS: dict[str, Callable[[_OpenElements, str], bool]] = {
    **dict.fromkeys(_CLOSES_P, _closes_p),
    **dict.fromkeys(_HEADINGS, _heading),
    **dict.fromkeys(("li", "dd", "dt"), _list_item),
    **dict.fromkeys(("option", "optgroup"), _option),
    **dict.fromkeys(("a", "nobr"), _link),
    "button": _button,
    "table": _table,
    **dict.fromkeys(_TABLE_PARTS, _table_part),
    "form": _form,
    **dict.fromkeys(_VOID | _IGNORED, _opens_nothing),
}
# Start tags that open an element and nothing else (outside <svg> and <math>): no action above.
_NOT_ORDINARY = frozenset(_START_ACTIONS) | _FORMATTING | {"plaintext", "svg", "math"}


def bound_markup(html: str, nests_within: Callable[[str], bool] | None = None) -> Bounded:
    """`html` with nesting, attributes, tags and text capped; unchanged for real pages.

    `nests_within(markup)`, when given, says whether the parser keeps `markup` within MAX_DEPTH
    open elements (by parsing it): it is asked instead of following the page tag by tag when the
    quick bound is past _SHALLOW but within _CHECKED, so that parsing it stays cheap.
    """
    tags = html.count("<")
    start = html
    notes: tuple[str, ...] = ()
    if tags > MAX_ELEMENTS:  # a shallow page this big needs no more than cutting
        end = _start_tag_past_cap(html)
        if end is not None:
            start, notes = html[:end], (_ELEMENTS_NOTE,)
            tags = start.count("<")
    if len(start) <= MAX_PAGE_TEXT:
        if tags <= MAX_DEPTH:
            if _TOO_MANY_ATTRIBUTES.search(start) is None:  # too few tags to nest deep
                return Bounded(start, notes)
        else:
            bound = _nesting_bound(start, _SHALLOW if nests_within is None else _CHECKED)
            if bound <= _SHALLOW or (
                nests_within is not None and bound <= _CHECKED and nests_within(start)
            ):
                return Bounded(start, notes)
    return _Rewriter(html).run()


_START_TAG = re.compile(r"<[a-zA-Z]")
_TOO_MANY_ATTRIBUTES = re.compile(
    rf"</?[a-zA-Z][^\t\n\f\r />]*+(?:{_ATTRIBUTE}){{{MAX_ATTRIBUTES + 1}}}"
)


def _start_tag_past_cap(html: str) -> int | None:
    """Where the first "<" and letter past MAX_ELEMENTS of them is (a start tag, or text)."""
    past = next(islice(_START_TAG.finditer(html), MAX_ELEMENTS, None), None)
    return past.start() if past else None


_UNBOUNDED = 1 << 62
_TEXT_NOTE = f"page cut at {MAX_PAGE_TEXT:,} characters of text"
_ELEMENTS_NOTE = f"page cut at {MAX_ELEMENTS:,} elements"


def _nesting_bound(html: str, limit: int = _SHALLOW) -> int:
    """How deep the parser may nest `html`, within a small factor, read in one regex pass.

    Each tag name counts the most elements of that name open at once, ends closing only what a
    start opened; tags inside raw text count as starts where <svg> or <math> may make it markup.
    Elements that close their like (p, li, td...) nest only across other elements, counted too.
    """
    uncertain = _FOREIGN.search(html) is not None
    balance: dict[str, int] = {}
    peak: dict[str, int] = {}
    others = 0  # the peaks of the names that do not close their like (lower case only)
    extra = 3  # html, head, body
    attribute_chars = 0  # an attribute takes two of them at least
    for token in _TOKEN.findall(html):
        script, raw, raw_attributes, raw_end, content, cdata, cdata_text = token[:7]
        closing, name, attributes, end = token[7:]
        if name:
            if not end:
                return _UNBOUNDED  # too many attributes, or a tag left open at the end
            attribute_chars += len(attributes)
            if attribute_chars > 2 * MAX_PAGE_ATTRIBUTES:
                return _UNBOUNDED
            if closing:
                count = balance.get(name)
                if count:
                    balance[name] = count - 1
            elif name not in _VOID_ANY_CASE:
                count = balance.get(name, 0) + 1
                balance[name] = count
                if count > peak.get(name, 0):
                    peak[name] = count
                    if name not in _CLOSE_LIKE:
                        others += 1
                        if others > limit:
                            return _UNBOUNDED
        elif script or raw:
            if not raw_end:
                return _UNBOUNDED
            attribute_chars += len(raw_attributes)
            if uncertain:
                extra += 1 + len(_START_TAG.findall(content))
        elif cdata:
            extra += 1 + len(_START_TAG.findall(cdata_text))
    others = sum(count for name, count in peak.items() if name.lower() not in _CLOSE_LIKE)
    alike = sum(
        min(count, 1 + others) for name, count in peak.items() if name.lower() in _CLOSE_LIKE
    )
    return others + alike + extra


class _Rewriter:
    """One pass over the markup, token by token, keeping what the caps allow."""

    def __init__(self, html: str) -> None:
        self.html = html
        self.pieces: list[str] = []
        self.copied = 0  # html[:copied] is in pieces
        self.notes: list[str] = []
        self.stack = _OpenElements()
        self.text = 0
        self.elements = 0
        self.attributes = 0

    def replace(self, start: int, end: int, text: str) -> None:
        self.pieces.append(self.html[self.copied : start])
        self.pieces.append(text)
        self.copied = end

    def cut(self, end: int, note: str | None = None) -> Bounded:
        """The page up to `end`, with the replacements made so far."""
        if note:
            self.notes.append(note)
        self.pieces.append(self.html[self.copied : end])
        return Bounded("".join(self.pieces), tuple(self.notes))

    def add_text(self, end: int, length: int) -> int | None:
        """Count `length` characters of text ending at `end`; where the page must be cut, if so."""
        self.text += length
        if self.text <= MAX_PAGE_TEXT:
            return None
        return end - (self.text - MAX_PAGE_TEXT)

    def run(self) -> Bounded:
        html = self.html
        stack = self.stack
        tokens = 0
        position = 0
        while position < len(html):
            foreign = stack.foreign
            pattern = _FOREIGN_TOKEN if foreign else _TOKEN
            for match in pattern.finditer(html, position):
                start = match.start()
                self.text += start - position
                if self.text > MAX_PAGE_TEXT:
                    return self.cut(start - (self.text - MAX_PAGE_TEXT), _TEXT_NOTE)
                tokens += 1
                if tokens > MAX_TOKENS:
                    return self.cut(start, f"page cut at {MAX_TOKENS:,} tags")
                position = match.end()
                script, raw, _, raw_end, _, cdata, cdata_text, closing, name, _, end = (
                    match.groups()
                )
                if name and end and not foreign and match.end(10) - match.start(10) <= 1:
                    # the common tags without attributes, decided here
                    lowered = name.lower()
                    if closing:
                        names = stack.names
                        if names and names[-1] == lowered:
                            stack.pop_to(len(names) - 1, explicit=True)
                            continue
                        if not stack.where.get(lowered) and not (
                            lowered in _FORMATTING and stack.regions[-1].closed
                        ):
                            continue  # nothing of that name is open: the parser ignores it
                    elif lowered in _VOID and lowered != "hr":
                        self.elements += 1
                        if self.elements > MAX_ELEMENTS:
                            return self.cut(start, _ELEMENTS_NOTE)
                        continue
                    elif lowered not in _NOT_ORDINARY:
                        if stack.depth >= MAX_DEPTH:
                            self.replace(start, position, " ")  # too deep: dropped
                            continue
                        self.elements += 1
                        if self.elements > MAX_ELEMENTS:
                            return self.cut(start, _ELEMENTS_NOTE)
                        stack.push(lowered)
                        continue
                if name or script or raw:
                    outcome = self.tag(
                        match,
                        name or script or raw,
                        closing=bool(closing),
                        raw=not name,
                        complete=bool(end or raw_end),
                    )
                    if isinstance(outcome, Bounded):
                        return outcome
                    if outcome is not None:
                        position = outcome
                        break
                    if stack.foreign != foreign:
                        break  # into or out of <svg>, <math>: read on with the other tokens
                elif cdata:
                    if foreign:  # text there; in HTML a bogus comment up to the first ">"
                        cut = self.add_text(position, len(cdata_text))
                        if cut is not None:
                            return self.cut(cut, _TEXT_NOTE)
                    else:
                        close = html.find(">", start)
                        position = close + 1 if close >= 0 else len(html)
                        break
            else:
                cut = self.add_text(len(html), len(html) - position)
                if cut is not None:
                    return self.cut(cut, _TEXT_NOTE)
                break
        if not self.pieces:
            return Bounded(html, tuple(self.notes))
        return self.cut(len(html))

    def keep_attributes(self, start: int, end: int, tag_end: int, *, counted: bool) -> None:
        """Keep the tag's first attributes: MAX_ATTRIBUTES, fewer past the page's budget."""
        html = self.html
        count = len(_ONE_ATTRIBUTE.findall(html, start, end))
        keep = min(count, MAX_ATTRIBUTES)
        if counted:  # an end tag's attributes are read and dropped: no element keeps them
            keep = min(keep, max(0, MAX_PAGE_ATTRIBUTES - self.attributes))
            self.attributes += keep
        if keep == count:
            return
        cut = start
        if keep:
            kept = islice(_ONE_ATTRIBUTE.finditer(html, start, end), keep - 1, None)
            cut = next(kept).end()
        self.replace(cut, tag_end, "/>" if html[tag_end - 2] == "/" else ">")

    def tag(
        self, match: re.Match[str], name: str, *, closing: bool, raw: bool, complete: bool
    ) -> Bounded | int | None:
        """Follow one tag; return where to read on when that is not right after the match."""
        html = self.html
        start = match.start()
        name_end = match.start(3 if raw else 10)
        if complete:
            attributes_end = match.end(3 if raw else 10)
            tag_end = attributes_end + 1
        else:  # more than MAX_ATTRIBUTES attributes, or no ">" before the page ends
            found = _ALL_ATTRIBUTES.match(html, match.end())
            attributes_end = found.end() if found else match.end()
            tag_end = attributes_end + 1
            if tag_end > len(html):
                return self.cut(start)  # the parser drops a tag the page never closes
        lowered = name.lower()
        stack = self.stack
        foreign = stack.foreign
        plain_text = not foreign and (raw or lowered == "plaintext")
        kept = True
        if closing:
            stack.end(lowered)
        elif (foreign and html[tag_end - 2] == "/") or (lowered in _VOID and not foreign):
            pass  # a void element, or <path/> in SVG: it opens and closes at once
        elif not plain_text:
            key = None
            if lowered in _FORMATTING:
                key = f"{lowered} {html[start + 1 + len(name) : attributes_end]}"
            kept = stack.start(lowered, key, MAX_DEPTH)
        if not closing and kept:
            self.elements += 1
            if self.elements > MAX_ELEMENTS:
                return self.cut(start, _ELEMENTS_NOTE)
        if not kept:
            self.replace(start, tag_end, " ")
        elif attributes_end - name_end > 1:
            self.keep_attributes(name_end, attributes_end, tag_end, counted=not closing)
        if closing or not plain_text:
            return None if complete else tag_end
        if lowered == "plaintext":
            text_end = len(html)
        elif complete:
            text_end = match.end()
        else:
            text_end = _RAW_TEXT_BODY[lowered].match(html, tag_end).end()  # type: ignore[union-attr]
        if lowered not in _NOT_TEXT:  # a title, a textarea, plain text: page text
            cut = self.add_text(text_end, text_end - tag_end)
            if cut is not None:
                return self.cut(cut, _TEXT_NOTE)
        return None if complete and raw else text_end
