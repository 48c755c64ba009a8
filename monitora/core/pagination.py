"""The one page arithmetic of every list (search page, project search, report list, API)."""

from dataclasses import dataclass

from .numbers import refuse_non_finite


@dataclass
class PageWindow:
    """Page `page` (from 1) of `total` items, `page_size` to a page. A page past the last one is
    empty (`beyond_last_page`); each caller decides whether that is a 404 or a link back."""

    page: int
    page_size: int
    total: int

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.total // self.page_size))

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def beyond_last_page(self) -> bool:
        return self.total > 0 and self.page > self.num_pages

    @property
    def start(self) -> int:
        return (self.page - 1) * self.page_size

    @property
    def stop(self) -> int:
        return self.start + self.page_size

    def slice(self, rows) -> list:
        """This page's rows of a queryset or list (no query at all past the last page)."""
        return [] if self.page > self.num_pages else list(rows[self.start : self.stop])


def page_number(raw: str | None, *, default: int = 1, name: str = "page") -> int:
    """A lenient page number for HTML links: anything that is not a positive integer is `default`,
    except a non-finite number (NaN, Infinity), which is a 400 like everywhere else."""
    refuse_non_finite({name: raw}, [name])
    raw = (raw or "").strip()
    return int(raw) if raw.isascii() and raw.isdigit() and 0 < len(raw) < 10 and int(raw) > 0 else default
