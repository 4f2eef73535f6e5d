import pytest

from portal.monitoring import cells


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            '<ul style="list-style-type: none"> - Uno. - Due',
            "<ul><li>Uno.</li><li>Due</li></ul>",
        ),
        (
            "- Promozione di 3.000 voucher",
            "<ul><li>Promozione di 3.000 voucher</li></ul>",
        ),
        (
            "<ul> -animazione di rete -operazioni di sportello",
            "<ul><li>animazione di rete</li><li>operazioni di sportello</li></ul>",
        ),
        (
            "<ul> - report annuale - Predisposizione di report: <ul> ✓ ISTAT ✓ INPS",
            "<ul><li>report annuale</li><li>Predisposizione di report:"
            "<ul><li>ISTAT</li><li>INPS</li></ul></li></ul>",
        ),
        (
            "<p>Testo:</p> <ul> - co - progettazione tra pena - lavoro; - altro",
            "<p>Testo:</p><ul><li>co - progettazione tra pena - lavoro;</li>"
            "<li>altro</li></ul>",
        ),
        (
            "Prima frase. <u>Azione di sistema</u> Seconda frase.",
            "<p>Prima frase. <strong>Azione di sistema</strong> Seconda frase.</p>",
        ),
        (
            "<ul><li>Già - in lista</li><li>Due</li></ul>",
            "<ul><li>Già - in lista</li><li>Due</li></ul>",
        ),
    ],
)
def test_clean_cell_keeps_bullet_lists(raw, expected):
    assert cells.clean_cell(raw) == expected


def test_clean_cell_strips_unsafe_markup():
    html = cells.clean_cell(
        '<p onclick="x()">Ciao <a href="javascript:alert(1)">link</a>'
        "<script>alert(1)</script><img src=x onerror=y></p>"
    )
    assert html == "<p>Ciao link</p>"


def test_text_is_escaped():
    assert cells.clean_cell("a &lt;b&gt; &amp; c") == "<p>a &lt;b&gt; &amp; c</p>"


def test_merge_continues_the_last_item_across_a_page_break():
    before = cells.parse("<ul> - Definito un modello di gestione,")
    after = cells.parse("<ul> monitoraggio e controllo. - Gestite le attività.")
    merged = cells.render(cells.merge(before, after))
    assert merged == (
        "<ul><li>Definito un modello di gestione, monitoraggio e controllo.</li>"
        "<li>Gestite le attività.</li></ul>"
    )


def test_merge_continues_a_paragraph_then_adds_new_ones():
    before = cells.parse("<ul> - Elaborare almeno 5 Piani relativi")
    after = cells.parse("<p>alla transizione pena lavoro.</p> <p>Qualificare 50.</p>")
    merged = cells.render(cells.merge(before, after))
    assert merged == (
        "<ul><li>Elaborare almeno 5 Piani relativi alla transizione pena lavoro.</li>"
        "</ul><p>Qualificare 50.</p>"
    )


def test_merge_with_empty_sides():
    blocks = cells.parse("<p>Uno</p>")
    assert cells.merge(blocks, []) == blocks
    assert cells.merge([], blocks) == blocks
