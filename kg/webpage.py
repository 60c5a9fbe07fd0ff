"""Web pages: the article text of an HTML page, without its scripts, menus and page furniture."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser

from . import dates, text as textmod

SKIP_TAGS = {"script", "style", "noscript", "template", "svg", "iframe", "object", "canvas", "select",
             "button", "textarea", "head"}
CHROME_TAGS = {"nav", "aside", "footer", "form", "menu"}      # page furniture around an article
BLOCK_TAGS = {"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "tr", "table",
              "section", "article", "main", "header", "footer", "blockquote", "pre", "dd", "dt", "dl",
              "figcaption", "figure", "hr", "title", "td", "th", "address", "center"}
VOID_TAGS = {"br", "hr", "img", "meta", "link", "input", "area", "base", "col", "embed", "source", "track", "wbr"}


MENU_SEPARATOR = re.compile(r"\s*[|｜]\s*|\s{2,}|\u3000+")
# meta tags (name, property or itemprop, lower case) that give when the page's article was published,
# the most specific first: Open Graph and schema.org, Dublin Core, Chinese government and news CMSes
PUBLISHED_META = ("article:published_time", "datepublished", "dcterms.issued", "dc.date.issued", "dc.date",
                  "citation_publication_date", "pubdate", "publishdate", "publish_date", "firstpublishedtime",
                  "og:release_date", "weibo:article:create_at", "date")


@dataclass
class _Chunk:
    text: str
    in_article: bool = False      # inside <article> or <main>
    in_chrome: bool = False       # inside nav, aside, footer, form, menu
    in_header: bool = False
    heading: bool = False         # inside h1 or h2
    link: bool = False            # inside <a>


BREAK = _Chunk("\n")


class _PageText(HTMLParser):
    """Text chunks of a page, each tagged with where it stands.

    The open elements are a stack and a count of each tag on it, so that what a chunk stands in is
    known without reading the stack: a page of many unclosed tags is read in linear time.
    """

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list = []
        self.open: Counter = Counter()
        self.chunks: list = []
        self.title = ""
        self.has_article = False
        self.published: dict = {}      # PUBLISHED_META name -> its content

    def handle_starttag(self, tag, attrs):
        if tag == "meta":
            self._meta(dict(attrs))
        if tag in BLOCK_TAGS:
            self.chunks.append(BREAK)
        if tag in ("article", "main"):
            self.has_article = True
        if tag not in VOID_TAGS:
            self.stack.append(tag)
            self.open[tag] += 1

    def _meta(self, attrs: dict) -> None:
        name = (attrs.get("name") or attrs.get("property") or attrs.get("itemprop") or "").strip().lower()
        if name in PUBLISHED_META and attrs.get("content"):
            self.published.setdefault(name, attrs["content"])

    def handle_startendtag(self, tag, attrs):
        if tag == "meta":
            self._meta(dict(attrs))
        if tag in BLOCK_TAGS:
            self.chunks.append(BREAK)

    def handle_endtag(self, tag):
        if self.open[tag]:
            while self.stack:
                top = self.stack.pop()
                self.open[top] -= 1
                if top == tag:
                    break
        if tag in BLOCK_TAGS:
            self.chunks.append(BREAK)

    def _in(self, *tags) -> bool:
        return any(self.open[t] for t in tags)

    def handle_data(self, data):
        if self._in("title") and not self._in("body"):
            self.title += data
            return
        if self._in(*SKIP_TAGS):
            return
        if not self._in("pre"):
            data = re.sub(r"\s+", " ", data)
        self.chunks.append(_Chunk(data, self._in("article", "main"), self._in(*CHROME_TAGS),
                                  self._in("header"), self._in("h1", "h2"), self._in("a")))


def _is_menu(line: str, link_chars: int) -> bool:
    """A line of links, or of short items between separators, without a sentence: navigation."""
    text = line.strip()
    if textmod.ends_sentence(text) and not text.endswith(("：", ":")) and len(text) > 1:
        return False
    if link_chars > 0.5 * len(text.replace(" ", "")):
        return True
    items = [i for i in MENU_SEPARATOR.split(text) if i]
    return len(items) >= 3 and all(len(i) <= 8 for i in items)


@dataclass(frozen=True)
class Page:
    text: str            # the article text (html_text)
    published: str       # the publication date its meta tags give, in ISO form (kg.dates), or ""


def html_page(raw: str) -> Page:
    """The article text of an HTML page and the date its meta tags say it was published."""
    page = _read(raw)
    published = (dates.from_value(page.published[name]) for name in PUBLISHED_META if name in page.published)
    return Page(_text(page), next((d for d in published if d), ""))


def html_text(raw: str) -> str:
    """The article text of an HTML page: the <article> or <main> element when there is one, else
    the body without header, navigation, footer, asides and forms; never scripts or styles; lines
    that are mostly links or menus are dropped. Block elements end lines; the page <title>
    (without its site name) leads when the text has no heading of its own."""
    return _text(_read(raw))


def _read(raw: str) -> _PageText:
    page = _PageText()
    try:
        page.feed(raw)
        page.close()
    except Exception:        # html.parser is lenient; a page it still cannot read gives what it got
        pass
    return page


def _text(page: _PageText) -> str:
    lines, current, links, headed = [], "", 0, False
    for c in page.chunks + [BREAK]:
        if c is BREAK:
            if current.strip() and not _is_menu(current, links):
                lines.append(current.strip())
            current, links = "", 0
            continue
        if c.in_chrome or (page.has_article and not c.in_article) or \
                (not page.has_article and c.in_header and not c.heading):
            continue
        current += c.text
        links += len(c.text.replace(" ", "")) if c.link else 0
        headed = headed or (c.heading and bool(c.text.strip()))
    title = re.split(r"\s*(?:[_|｜]|\s[-–—]\s)\s*", page.title.strip())[0].strip()
    if title and not headed and (not lines or title not in lines[0]):
        lines.insert(0, title)
    return "\n\n".join(lines)
