"""The digest's chart read at phone width: measured from the PNG itself, not from settings."""

from __future__ import annotations

import io
from collections import Counter

from PIL import Image

from domain.progress import Standing
from formats.charts import standings_chart

BUBBLE_PX = 330  # how wide a chat bubble shows the picture on a phone
LABELS = {
    Standing.OVERDUE: "Просрочено",
    Standing.NOT_DONE: "Не выполнено",
    Standing.NO_ANSWER: "Нет ответа",
    Standing.IN_PROGRESS: "В работе",
    Standing.DONE: "Выполнено",
}
SCHOOLS = [
    'Муниципальное бюджетное общеобразовательное учреждение "Средняя общеобразовательная '
    'школа № 2"',
    "Муниципальное казённое общеобразовательное учреждение «Основная общеобразовательная "
    "школа № 5»",
    "МОУ СОШ № 10",
]


class Grid:
    """The PNG's pixels as RGB triples, read once."""

    def __init__(self, image: Image.Image) -> None:
        self.size = image.size
        self._data = image.tobytes()

    def __getitem__(self, xy: tuple[int, int]) -> tuple[int, int, int]:
        x, y = xy
        at = (y * self.size[0] + x) * 3
        return self._data[at], self._data[at + 1], self._data[at + 2]


def _chart() -> Grid:
    organisations = [
        (SCHOOLS[0], Counter({Standing.OVERDUE: 4, Standing.DONE: 6})),
        (SCHOOLS[1], Counter({Standing.OVERDUE: 1, Standing.NO_ANSWER: 3, Standing.DONE: 2})),
        (SCHOOLS[2], Counter({Standing.DONE: 9})),
    ]
    png = standings_chart(organisations, LABELS, "Мероприятия по организациям на 07.12.2026")
    return Grid(Image.open(io.BytesIO(png)).convert("RGB"))


def _is_ink(pixel: tuple[int, int, int]) -> bool:
    """Near-black text; the bars' colours (and the grey of «no answer») are not."""
    return max(pixel) < 90 and max(pixel) - min(pixel) < 30


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    """Consecutive row numbers as (first, last) runs."""
    runs: list[tuple[int, int]] = []
    for row in rows:
        if runs and row == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], row)
        else:
            runs.append((row, row))
    return runs


def _axes(image: Grid) -> tuple[int, int, int]:
    """The left spine: the column in the left half with the longest run of ink, and its rows."""
    width, height = image.size
    pixels = image
    best = (0, 0, 0, 0)  # length, column, first row, last row
    for x in range(width // 2):
        ink = [y for y in range(height) if _is_ink(pixels[x, y])]
        for first, last in _runs(ink):
            if last - first > best[0]:
                best = (last - first, x, first, last)
    _length, column, first, last = best
    return column, first, last


def test_school_labels_stay_ten_pixels_tall_in_a_phones_chat_bubble() -> None:
    image = _chart()
    width, _height = image.size
    pixels = image
    spine, top, bottom = _axes(image)
    label_rows = [
        y for y in range(top, bottom + 1) if any(_is_ink(pixels[x, y]) for x in range(spine - 3))
    ]
    labels = _runs(label_rows)

    assert len(labels) == 3  # one line per school: short names, nothing wrapped or cut
    scale = BUBBLE_PX / width
    heights = [(last - first + 1) * scale for first, last in labels]
    assert min(heights) >= 10, heights


def test_the_legend_and_title_are_as_legible_and_name_only_what_is_drawn() -> None:
    image = _chart()
    width, height = image.size
    pixels = image
    _spine, top, bottom = _axes(image)
    scale = BUBBLE_PX / width
    legend = _runs(
        [y for y in range(bottom + 1, height) if any(_is_ink(pixels[x, y]) for x in range(width))]
    )
    title = _runs([y for y in range(top) if any(_is_ink(pixels[x, y]) for x in range(width))])
    assert legend and title
    # Letters with descenders («у», «р») make a run taller than a capital; capitals alone
    # are the floor: no run of text is under 10 px in the bubble.
    assert min((last - first + 1) * scale for first, last in legend + title) >= 10

    colours = {pixels[x, y] for x in range(width) for y in range(height)}
    assert (0xD6, 0x27, 0x28) in colours  # overdue is drawn and in the legend
    assert (0xFF, 0x7F, 0x0E) not in colours  # «not done» is empty: not even in the legend
    assert (0x1F, 0x77, 0xB4) not in colours  # nor «in progress»


def test_counts_are_written_on_the_bars() -> None:
    image = _chart()
    width, _height = image.size
    pixels = image
    spine, top, bottom = _axes(image)
    red = (0xD6, 0x27, 0x28)
    red_rows = [y for y in range(top, bottom) if any(pixels[x, y] == red for x in range(width))]
    first_bar = _runs(red_rows)[0]
    middle = (first_bar[0] + first_bar[1]) // 2
    red_columns = [x for x in range(width) if pixels[x, middle] == red]
    inside = [
        pixels[x, y]
        for y in range(first_bar[0], first_bar[1] + 1)
        for x in range(red_columns[0], red_columns[-1])
    ]
    assert any(min(p) > 230 for p in inside)  # a white figure in the red segment
    beyond = [x for x in range(spine + 5, width) if _is_ink(pixels[x, middle])]
    assert beyond, "no total beside the bar"


def test_nothing_is_cut_at_the_pictures_edges() -> None:
    image = _chart()
    width, height = image.size
    pixels = image
    for x in (0, 1, width - 1):
        assert not any(_is_ink(pixels[x, y]) for y in range(height)), x
