"""Tests for frontline.articles: formats, encodings, bad and hostile input."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import logging
import os
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from frontline.articles import (
    DEFAULT_MAX_BYTES,
    Article,
    Problem,
    ProblemLog,
    iter_articles,
    load_articles,
    parse_published,
    read_article,
    safe_article_id,
)
from frontline.errors import ArticleFormatError, FrontlineError, InputNotFoundError

TODAY = dt.date(2024, 6, 1)
KHERSON_UK = (
    "Українські війська увійшли до центру Херсона в п'ятницю під оплески натовпу, "
    "через день після того, як Москва заявила про відведення військ за Дніпро."
)
KHERSON_RU = (
    "Украинские войска вошли в центр Херсона в пятницу под аплодисменты толпы, "
    "через день после того, как Москва заявила об отводе войск за Днепр."
)
EVAL = Path(
    os.environ.get("FRONTLINE_EVAL")
    or Path(__file__).resolve().parents[1] / ".." / "shared" / "eval"
)


def read(inputs, **options) -> tuple[list[Article], ProblemLog]:
    problems = ProblemLog()
    options.setdefault("today", TODAY)
    articles = list(iter_articles(inputs, on_problem=problems, **options))
    return articles, problems


def messages(problems: ProblemLog, severity: str | None = None) -> list[str]:
    return [str(p) for p in problems if severity is None or p.severity == severity]


def md(title="Kherson", published="2022-11-12", body="Troops entered Kherson on Friday.\n"):
    return f"---\ntitle: {title}\npublished: {published}\nsource: Dev Wire\n---\n{body}"


# ---------------------------------------------------------------------------------------
# Markdown and text


def test_markdown_front_matter(tmp_path):
    path = tmp_path / "kherson-liberation.md"
    path.write_text(md() + "\nSecond paragraph.\n", encoding="utf-8")
    [article], problems = read(path)
    assert article.article_id == "kherson-liberation"
    assert article.title == "Kherson"
    assert article.published == dt.date(2022, 11, 12)
    assert article.source == "Dev Wire"
    assert article.text == "Troops entered Kherson on Friday.\n\nSecond paragraph.\n"
    assert article.origin == str(path)
    assert article.meta["body_line"] == 6
    assert len(problems) == 0


def test_front_matter_id_url_and_extra_keys(tmp_path):
    path = tmp_path / "x.md"
    path.write_text(
        "---\nid: kh-1\nurl: https://example.org/a\nauthor: Jane\npublished: 2022-11-12"
        "\n---\nText.\n",
        encoding="utf-8",
    )
    [article], problems = read(path)
    assert (article.article_id, article.url, article.meta["author"]) == (
        "kh-1",
        "https://example.org/a",
        "Jane",
    )
    assert len(problems) == 0


def test_crlf_and_bom_are_normalized(tmp_path):
    path = tmp_path / "a.md"
    path.write_bytes(b"\xef\xbb\xbf" + md().replace("\n", "\r\n").encode())
    [article], problems = read(path)
    assert article.title == "Kherson" and article.published == dt.date(2022, 11, 12)
    assert "\r" not in article.text and not article.text.startswith("\ufeff")
    assert len(problems) == 0


@pytest.mark.parametrize(
    ("body", "title"),
    [
        ("# Kherson liberated\n\nTroops entered.", "Kherson liberated"),
        ("Kherson liberated\n\nTroops entered the city.", "Kherson liberated"),
        ("Troops entered the city.\n\nMore.", ""),  # a sentence, not a heading
        ("Kherson liberated\nTroops entered the city.", ""),  # no blank line after it
        ("\n\n## Second-level heading\nText.", "Second-level heading"),
    ],
)
def test_plain_text_title_from_heading(tmp_path, body, title):
    path = tmp_path / "note.txt"
    path.write_text(body, encoding="utf-8")
    [article], _ = read(path)
    assert article.title == title
    assert article.text == body  # the text is kept whole: offsets refer to it


def test_extensionless_file_is_plain_text(tmp_path):
    (tmp_path / "17").write_text("Floods hit Kherson.", encoding="utf-8")
    [article], _ = read(tmp_path)
    assert (article.article_id, article.text) == ("17", "Floods hit Kherson.")


def test_missing_published_is_a_warning_with_advice(tmp_path):
    path = tmp_path / "a.md"
    path.write_text("---\ntitle: T\n---\nText.\n", encoding="utf-8")
    [article], problems = read(path)
    assert article.published is None
    [problem] = problems
    assert problem.severity == "warning" and problem.origin == str(path)
    assert problem.message == (
        "no publication date: relative dates cannot be resolved; "
        "add `published:` to the front matter"
    )


def test_invalid_published_is_a_warning_and_none(tmp_path):
    path = tmp_path / "a.md"
    path.write_text(md(published="sometime in autumn"), encoding="utf-8")
    [article], problems = read(path)
    assert article.published is None
    assert [p.severity for p in problems] == ["warning"]
    assert "invalid publication date" in problems.problems[0].message
    assert "sometime in autumn" in problems.problems[0].message


def test_future_published_is_kept_with_a_warning(tmp_path):
    path = tmp_path / "a.md"
    path.write_text(md(published="2031-01-05"), encoding="utf-8")
    [article], problems = read(path, today=dt.date(2024, 6, 1))
    assert article.published == dt.date(2031, 1, 5)
    [problem] = problems
    assert problem.severity == "warning" and "in the future" in problem.message


def test_broken_yaml_names_file_and_line(tmp_path):
    (tmp_path / "good.md").write_text(md(), encoding="utf-8")
    bad = tmp_path / "bad.md"
    bad.write_text(
        '---\ntitle: ok\nsource: "unclosed\npublished: 2022-11-12\n---\nText\n', encoding="utf-8"
    )
    articles, problems = read(tmp_path)
    assert [a.article_id for a in articles] == ["good"]
    [problem] = problems.errors
    assert problem.origin.startswith(str(bad) + ":")
    line = int(problem.origin.rsplit(":", 1)[1])
    assert 3 <= line <= 5  # the quote opens on line 3; YAML notices by the closing line
    assert "front matter does not parse" in problem.message


def test_yaml_error_line_number_is_exact(tmp_path):
    bad = tmp_path / "bad.md"
    bad.write_text("---\ntitle: ok\nsource: a: b\n---\nText\n", encoding="utf-8")
    _, problems = read(bad)
    assert [p.origin for p in problems.errors] == [f"{bad}:3"]


@pytest.mark.parametrize(
    "front",
    [
        "---\ntitle: x\nText without a closing line\n",
        "---\n- a\n- b\n---\nText\n",
        "---\n!!python/object/apply:os.system ['echo pwned']\n---\nText\n",
        "---\ntitle: !!python/name:os.system\n---\nText\n",
    ],
)
def test_bad_front_matter_is_an_error_and_never_runs_code(tmp_path, front):
    path = tmp_path / "a.md"
    path.write_text(front, encoding="utf-8")
    articles, problems = read(path)
    assert articles == []
    assert len(problems.errors) == 1 and problems.errors[0].origin.startswith(str(path))


def test_yaml_alias_bomb_is_not_expanded(tmp_path):
    lines, previous = ["---", "a: &a [x, x, x, x, x, x, x, x, x]"], "a"
    for i in range(1, 12):  # 9**12 strings if anything expanded it
        lines.append(f"b{i}: &b{i} [" + ", ".join([f"*{previous}"] * 9) + "]")
        previous = f"b{i}"
    bomb = "\n".join(lines) + "\n"
    bomb += "title: *b11\npublished: 2022-11-12\n---\nText.\n"
    path = tmp_path / "bomb.md"
    path.write_text(bomb, encoding="utf-8")
    start = time.process_time()
    [article], problems = read(path)
    assert time.process_time() - start < 5
    assert article.title == ""
    assert any("`title` is not text" in m for m in messages(problems, "warning"))


def test_empty_text_is_skipped(tmp_path):
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "only-front.md").write_text("---\ntitle: T\n---\n  \n", encoding="utf-8")
    articles, problems = read(tmp_path)
    assert articles == []
    assert [p.severity for p in problems] == ["skipped", "skipped"]
    assert all("empty article" in p.message for p in problems)


# ---------------------------------------------------------------------------------------
# Encodings


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le-bom", "utf-16-be-bom"]
)
def test_unicode_encodings_are_read_silently(tmp_path, encoding):
    text = "Київ\n\n" + KHERSON_UK
    if encoding == "utf-16-le-bom":
        data = b"\xff\xfe" + text.encode("utf-16-le")
    elif encoding == "utf-16-be-bom":
        data = b"\xfe\xff" + text.encode("utf-16-be")
    else:
        data = text.encode(encoding)
    path = tmp_path / "a.txt"
    path.write_bytes(data)
    [article], problems = read(path)
    assert article.text == text and article.title == "Київ"
    assert messages(problems) == [
        f"{path}: no publication date: relative dates cannot be "
        "resolved; add `published:` to the front matter"
    ]


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (KHERSON_UK, "cp1251"),
        (KHERSON_RU, "cp1251"),
        (KHERSON_RU, "koi8-r"),
        (KHERSON_UK, "koi8-u"),
    ],
)
def test_legacy_cyrillic_is_detected_and_reported(tmp_path, text, encoding):
    path = tmp_path / "a.md"
    path.write_bytes(md(title="Херсон", body=text).encode(encoding))
    [article], problems = read(path)
    assert article.text == text and article.title == "Херсон"
    [warning] = problems
    assert warning.severity == "warning" and "not UTF-8" in warning.message
    assert encoding.replace("-", "_") in warning.message.replace("-", "_")


def test_utf16_without_bom_is_read_with_a_warning(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(("Kherson\n\n" + KHERSON_UK).encode("utf-16-le"))
    [article], problems = read(path)
    assert article.text.endswith(KHERSON_UK)
    assert any("UTF-16-LE" in m for m in messages(problems, "warning"))


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "PNG"),
        (b"%PDF-1.7\n" + bytes(range(256)), "PDF"),
        (b"PK\x03\x04" + bytes(200), "ZIP"),
        (bytes(range(256)) * 8, "NUL"),
    ],
)
def test_binary_files_are_errors(tmp_path, data, kind):
    path = tmp_path / "a.txt"
    path.write_bytes(data)
    articles, problems = read(path)
    assert articles == []
    [problem] = problems
    assert problem.severity == "error" and "binary file" in problem.message
    assert kind in problem.message


def test_undecodable_jsonl_line_is_one_error(tmp_path):
    # The encoding is sniffed from the first 64 KB (UTF-8 here); a later line in another
    # encoding is one error, not the end of the file.
    path = tmp_path / "feed.jsonl"
    good = [
        json.dumps(
            {"id": f"a{n}", "text": "Київ", "published": "2022-11-12"}, ensure_ascii=False
        ).encode()
        for n in range(3000)
    ]
    bad = b'{"id": "b", "text": "caf\xe9", "published": "2022-11-12"}'
    path.write_bytes(b"\n".join([*good, bad, good[0].replace(b"a0", b"c")]) + b"\n")
    articles, problems = read(path)
    assert len(articles) == 3001 and articles[-1].article_id == "c"
    assert [p.origin for p in problems] == [f"{path}:3001"]
    assert "undecodable" in problems.problems[0].message


# ---------------------------------------------------------------------------------------
# HTML


PAGE = """<!DOCTYPE html><html><head><meta charset="{charset}"><title>{title} | Wire</title>
<meta property="og:title" content="{title}"><meta property="og:site_name" content="Dev Wire">
<meta property="article:published_time" content="2022-11-12T08:00:00+02:00">
<link rel="canonical" href="https://example.org/kherson"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav><article><h1>{title}</h1>
<p>{p1}</p><p>{p2}</p></article><footer>Copyright Dev Wire. All rights reserved.</footer>
</body></html>"""


def test_html_main_text_title_and_date(tmp_path):
    path = tmp_path / "kherson.html"
    path.write_text(
        PAGE.format(
            charset="utf-8",
            title="Ukrainian troops enter Kherson",
            p1="Ukrainian troops entered the center of Kherson on Friday to cheering crowds, a day "
            "after Moscow said it had begun pulling its forces across the Dnipro River.",
            p2="In Mykolaiv, a Russian missile hit a five-story residential building early on "
            "Friday, killing at least seven people, local officials said.",
        ),
        encoding="utf-8",
    )
    [article], problems = read(path)
    assert article.article_id == "kherson"
    assert article.title == "Ukrainian troops enter Kherson"
    assert article.published == dt.date(2022, 11, 12)
    assert article.source == "Dev Wire"
    assert article.url == "https://example.org/kherson"
    assert "entered the center of Kherson" in article.text
    assert "\n\n" in article.text  # paragraphs stay apart for the sentence splitter
    assert "Home" not in article.text and "Copyright" not in article.text
    assert len(problems) == 0


def test_html_in_declared_cp1251(tmp_path):
    path = tmp_path / "uk.htm"
    page = PAGE.format(charset="windows-1251", title="Херсон", p1=KHERSON_UK, p2=KHERSON_RU)
    path.write_bytes(page.encode("cp1251"))
    [article], problems = read(path)
    assert KHERSON_UK in article.text and article.title == "Херсон"
    assert article.meta["encoding"] == "cp1251"
    assert len(problems) == 0  # a declared charset is trusted: no warning


def test_html_without_a_date_warns(tmp_path):
    path = tmp_path / "p.html"
    path.write_text(
        "<html><body><p>Shelling hit Nikopol across the reservoir overnight, "
        "regional officials said, damaging homes.</p></body></html>",
        encoding="utf-8",
    )
    [article], problems = read(path)
    assert "Nikopol" in article.text and article.published is None
    assert any("no publication date" in m for m in messages(problems, "warning"))


# ---------------------------------------------------------------------------------------
# JSON Lines and CSV


def test_jsonl_rows_and_bad_rows(tmp_path):
    path = tmp_path / "feed.jsonl"
    rows = [
        json.dumps(
            {
                "id": "r1",
                "title": "One",
                "published": "2022-11-12",
                "source": "S",
                "url": "https://e.org/1",
                "text": "Kherson.",
            }
        ),
        "",
        "{broken json",
        json.dumps(["not", "an", "object"]),
        json.dumps({"id": "r2", "published": "2022-11-12"}),  # no text
        json.dumps(
            {
                "id": 7,
                "text": "Numeric id.",
                "published": "12 November 2022",
                "title": {"nested": 1},
            }
        ),
        json.dumps({"text": "No id.", "published": "2022-11-12"}),
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    articles, problems = read(path)
    assert [(a.article_id, a.origin) for a in articles] == [
        ("r1", f"{path}:1"),
        ("7", f"{path}:6"),
        ("feed-7", f"{path}:7"),
    ]
    assert articles[0].url == "https://e.org/1" and articles[0].title == "One"
    assert [p.origin for p in problems.errors] == [f"{path}:3", f"{path}:4", f"{path}:5"]
    assert "invalid JSON" in problems.errors[0].message
    assert "`title` is not text" in messages(problems, "warning")[0]


def test_jsonl_gz_and_aliases(tmp_path):
    path = tmp_path / "feed.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write(
            json.dumps(
                {
                    "ID": "g1",
                    "headline": "H",
                    "date": "Nov 12, 2022",
                    "body": "Text.",
                    "link": "https://e.org",
                }
            )
            + "\n"
        )
    [article], problems = read(path)
    assert (article.article_id, article.title, article.published, article.url) == (
        "g1",
        "H",
        dt.date(2022, 11, 12),
        "https://e.org",
    )
    assert article.meta["format"] == "jsonl"
    assert len(problems) == 0


def test_jsonl_with_surrogate_escapes_is_an_error(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text(
        '{"id": "a", "text": "bad \\ud800 char", "published": "2022-11-12"}\n'
        '{"id": "b", "text": "fine", "published": "2022-11-12"}\n',
        encoding="utf-8",
    )
    articles, problems = read(path)
    assert [a.article_id for a in articles] == ["b"]
    assert [p.origin for p in problems.errors] == [f"{path}:1"]


def test_large_jsonl_with_bad_rows(tmp_path):
    path = tmp_path / "big.jsonl"
    bad_lines = set(range(5, 100_001, 1000))
    with open(path, "w", encoding="utf-8") as f:
        for n in range(1, 100_001):
            if n in bad_lines:
                f.write('{"id": "oops", "text": \n')
            else:
                f.write(
                    f'{{"id": "a{n}", "text": "Shelling in Nikopol.", "published": "2022-11-12"}}\n'
                )
    start = time.process_time()  # this process's CPU: a busy machine does not count
    articles, problems = read(path)
    elapsed = time.process_time() - start
    assert len(articles) == 100_000 - len(bad_lines)
    assert [p.origin for p in problems] == [f"{path}:{n}" for n in sorted(bad_lines)]
    assert len({a.article_id for a in articles}) == len(articles)
    assert elapsed < 20


def test_csv_rows_multiline_and_row_numbers(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(
        "id,title,published,source,url,text\n"
        'c1,One,2022-11-12,S,https://e.org/1,"Line one\nline two"\n'
        "c2,Two,not a date,S,,Text two\n"
        ",,,,,\n"
        'c3,Three,2022-11-13,S,,"Text, with comma"\n',
        encoding="utf-8",
    )
    articles, problems = read(path)
    assert [(a.article_id, a.origin, a.published) for a in articles] == [
        ("c1", f"{path}:row 2", dt.date(2022, 11, 12)),
        ("c2", f"{path}:row 3", None),
        ("c3", f"{path}:row 5", dt.date(2022, 11, 13)),
    ]
    assert articles[0].text == "Line one\nline two"
    assert [p.origin for p in problems] == [f"{path}:row 3"]


def test_csv_short_row_is_one_error(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(
        "id,title,published,text\n1,T,2022-11-12,Body\n2,T\n3,T,2022-11-12,Body 3\n",
        encoding="utf-8",
    )
    articles, problems = read(path)
    assert [a.article_id for a in articles] == ["1", "3"]
    [problem] = problems
    assert problem.origin == f"{path}:row 3" and "row has 2 field(s)" in problem.message


def test_csv_missing_columns_are_named(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("id,title,published\n1,T,2022-11-12\n", encoding="utf-8")
    articles, problems = read(path)
    assert articles == []
    [problem] = problems
    assert problem.severity == "error" and problem.origin == str(path)
    assert "missing column: text" in problem.message
    assert "id, title, published" in problem.message


def test_csv_semicolon_tsv_gz_and_missing_optional_columns(tmp_path):
    (tmp_path / "a.csv").write_text("id;text;published\n1;Kherson;12.11.2022\n", encoding="utf-8")
    (tmp_path / "b.tsv").write_text(
        "id\ttext\tpublished\n2\tBakhmut\t2023-05-20\n", encoding="utf-8"
    )
    with gzip.open(tmp_path / "c.csv.gz", "wt", encoding="utf-8") as f:
        f.write("text\nNikopol\n")
    articles, problems = read(tmp_path)
    assert [(a.article_id, a.text, a.published) for a in articles] == [
        ("1", "Kherson", dt.date(2022, 11, 12)),
        ("2", "Bakhmut", dt.date(2023, 5, 20)),
        ("c-row2", "Nikopol", None),
    ]
    assert "missing column(s): id, published" in messages(problems, "warning")[0]


def test_csv_long_field_beyond_csv_module_default(tmp_path):
    text = "Kherson. " * 30_000  # 270 KB, over the csv module's 128 KB default
    path = tmp_path / "long.csv"
    path.write_text(f'id,text,published\nlong,"{text}",2022-11-12\n', encoding="utf-8")
    [article], _ = read(path)
    assert article.text == text


def test_csv_in_cp1251(tmp_path):
    path = tmp_path / "uk.csv"
    path.write_bytes(
        f'id,title,published,text\nu1,Херсон,2022-11-12,"{KHERSON_UK}"\n'.encode("cp1251")
    )
    [article], problems = read(path)
    assert article.text == KHERSON_UK and article.title == "Херсон"
    assert any("cp1251" in m for m in messages(problems, "warning"))


# ---------------------------------------------------------------------------------------
# Ids


def test_duplicate_ids_get_stable_suffixes(tmp_path):
    for sub in ("a", "b", "c"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "kherson.md").write_text(md(), encoding="utf-8")
    (tmp_path / "d.jsonl").write_text(
        "\n".join(
            json.dumps({"id": i, "text": "x", "published": "2022-11-12"})
            for i in ("kherson~2", "kherson", "kherson")
        )
        + "\n",
        encoding="utf-8",
    )
    articles, problems = read(tmp_path)
    assert [a.article_id for a in articles] == [
        "kherson",
        "kherson~2",
        "kherson~3",
        "kherson~2~2",
        "kherson~4",
        "kherson~5",
    ]
    assert [a.origin for a in articles][:3] == [str(tmp_path / s / "kherson.md") for s in "abc"]
    assert sum("duplicate id" in m for m in messages(problems, "warning")) == 5
    again, _ = read(tmp_path)
    assert [a.article_id for a in again] == [a.article_id for a in articles]


@pytest.mark.parametrize(
    "raw",
    [
        "../../etc/passwd",
        "..",
        ".",
        "/abs/path",
        "a\\b\\..\\c",
        "nul\x00byte",
        "tab\there",
        "line\nbreak",
        "\u202eevil",
        "CON",
        "trailing.",
        "-rf",
        "a" * 500,
        "",
        "   ",
        "C:\\Windows",
        "ok-id_1.2",
    ],
)
def test_unsafe_ids_are_sanitized(raw, tmp_path):
    article_id = safe_article_id(raw)
    assert_safe_id(article_id, tmp_path)
    if raw == "ok-id_1.2":
        assert article_id == raw


def assert_safe_id(article_id: str, folder: Path) -> None:
    assert article_id and len(article_id) <= 100
    assert not any(c in article_id for c in '/\\:*?"<>|\x00')
    assert ".." not in article_id and not article_id.startswith((".", "-", " "))
    assert all(c.isprintable() for c in article_id)
    target = (folder / f"{article_id}.html").resolve()
    assert target.parent == folder.resolve()


def test_long_ids_stay_distinct():
    assert safe_article_id("x" * 300 + "a") != safe_article_id("x" * 300 + "b")


def test_unsafe_id_from_a_row_is_reported(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text(
        json.dumps({"id": "../../../outside", "text": "x", "published": "2022-11-12"}) + "\n",
        encoding="utf-8",
    )
    [article], problems = read(path)
    assert article.article_id == "outside"
    assert "not safe as a file name" in messages(problems, "warning")[0]


# ---------------------------------------------------------------------------------------
# Paths, folders, links


def test_missing_input_is_reported_and_the_rest_read(tmp_path):
    (tmp_path / "a.md").write_text(md(), encoding="utf-8")
    missing = tmp_path / "no-such.md"
    articles, problems = read([missing, tmp_path / "a.md"])
    assert [a.article_id for a in articles] == ["a"]
    [problem] = problems
    assert problem.severity == "error"
    assert str(problem) == f"no such file or folder: {missing}"


def test_missing_input_raises_without_callback(tmp_path):
    missing = tmp_path / "gone"
    with pytest.raises(InputNotFoundError, match="no such file or folder: .*gone"):
        list(iter_articles([missing]))


def test_empty_folder_is_an_error(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "x.png").write_bytes(b"\x89PNG")
    articles, problems = read([tmp_path / "empty", tmp_path / "images"])
    assert articles == []
    assert [(p.severity, p.origin) for p in problems] == [
        ("error", str(tmp_path / "empty")),
        ("skipped", str(tmp_path / "images" / "x.png")),
        ("error", str(tmp_path / "images")),
    ]
    assert "no article files" in problems.problems[0].message
    with pytest.raises(InputNotFoundError, match="no article files"):
        load_articles(tmp_path / "empty")


def test_folders_are_walked_sorted_recursively_skipping_hidden(tmp_path):
    for rel in ("b.md", "a/z.md", "a/c.txt", ".git/x.md", "a/.hidden.md", "c/.secret/y.md"):
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(md(), encoding="utf-8")
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04")
    articles, problems = read(tmp_path)
    assert [a.article_id for a in articles] == ["c", "z", "b"]
    assert [(p.severity, Path(p.origin).name) for p in problems] == [("skipped", "notes.docx")]


def test_explicit_hidden_or_unknown_files_are_read(tmp_path):
    hidden = tmp_path / ".draft.md"
    hidden.write_text(md(), encoding="utf-8")
    odd = tmp_path / "notes.rst"
    odd.write_text(md(), encoding="utf-8")
    articles, problems = read([hidden, odd])
    assert [a.article_id for a in articles] == [".draft".strip("."), "notes"]
    assert messages(problems) == [f"{odd}: unknown extension '.rst': read as plain text"]


def test_symlink_loops_and_broken_links(tmp_path):
    root = tmp_path / "root"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "a.md").write_text(md(), encoding="utf-8")
    os.symlink("..", root / "sub" / "up")
    os.symlink(root / "sub", root / "again")
    os.symlink(tmp_path / "missing.md", root / "dangling.md")
    os.symlink("self.md", root / "self.md")
    articles, problems = read(root)
    assert [a.article_id for a in articles] == ["a"]
    by_name = {Path(p.origin).name: p for p in problems}
    assert "symbolic link loop" in by_name["up"].message
    assert any("already read" in m for m in messages(problems, "skipped"))
    assert "broken symbolic link" in by_name["dangling.md"].message
    assert "loop" in by_name["self.md"].message


def test_same_file_twice_is_read_once(tmp_path):
    (tmp_path / "a.md").write_text(md(), encoding="utf-8")
    articles, problems = read([tmp_path / "a.md", tmp_path, tmp_path / "a.md"])
    assert [a.article_id for a in articles] == ["a"]
    assert [p.severity for p in problems] == ["skipped", "skipped"]
    assert all("already read" in p.message for p in problems)


def test_damaged_gzip_is_an_error(tmp_path):
    good = gzip.compress(b'{"id": "a", "text": "x", "published": "2022-11-12"}\n' * 1000)
    (tmp_path / "cut.jsonl.gz").write_bytes(good[: len(good) // 2])
    (tmp_path / "fake.md.gz").write_bytes(b"not gzip at all")
    articles, problems = read(tmp_path)
    assert [p.severity for p in problems.errors] == ["error", "error"]
    assert all("gzip" in p.message for p in problems.errors)
    assert len(articles) >= 1  # rows before the damage are kept


# ---------------------------------------------------------------------------------------
# Size limits and speed


def test_size_cap_is_clear_and_configurable(tmp_path):
    path = tmp_path / "huge.txt"
    path.write_bytes(b"Shelling in Nikopol. " * 2_500_000)  # 52.5 MB
    articles, problems = read(path)
    assert articles == []
    [problem] = problems
    assert "too large" in problem.message and f"{DEFAULT_MAX_BYTES:,}" in problem.message
    assert "max_bytes" in problem.message and "--max-bytes" in problem.message
    start = time.process_time()
    [article], _ = read(path, max_bytes=60_000_000)
    assert len(article.text) == 52_500_000
    assert time.process_time() - start < 10


def test_size_cap_applies_to_gzip_and_rows(tmp_path):
    (tmp_path / "bomb.txt.gz").write_bytes(gzip.compress(b"a" * 5_000_000))
    (tmp_path / "rows.jsonl").write_text(
        json.dumps({"id": "big", "text": "b" * 5000})
        + "\n"
        + json.dumps({"id": "small", "text": "s", "published": "2022-11-12"})
        + "\n",
        encoding="utf-8",
    )
    articles, problems = read(tmp_path, max_bytes=4000)
    assert [a.article_id for a in articles] == ["small"]
    assert [p.origin for p in problems.errors] == [
        str(tmp_path / "bomb.txt.gz"),
        f"{tmp_path / 'rows.jsonl'}:1",
    ]


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_twenty_thousand_rows_are_read_fast(tmp_path, fmt):
    path = tmp_path / f"corpus.{fmt}"
    with open(path, "w", encoding="utf-8", newline="") as f:
        if fmt == "csv":
            f.write("id,title,published,source,url,text\n")
        for n in range(20_000):
            row = {
                "id": f"n{n}",
                "title": f"Dispatch {n}",
                "published": "2022-11-12",
                "source": "Wire",
                "url": f"https://e.org/{n}",
                "text": "Russian forces shelled Nikopol across the Kakhovka reservoir.",
            }
            if fmt == "csv":
                f.write(",".join(row.values()) + "\n")
            else:
                f.write(json.dumps(row) + "\n")
    start = time.process_time()
    articles, problems = read(path)
    elapsed = time.process_time() - start
    assert len(articles) == 20_000 and len(problems) == 0
    assert elapsed < 6, f"{elapsed:.2f} s"  # about 0.3 s on an idle core


def test_reading_is_lazy(tmp_path):
    (tmp_path / "a.md").write_text(md(), encoding="utf-8")
    (tmp_path / "b.md").write_text("---\ntitle: [\n---\nText\n", encoding="utf-8")
    articles = iter_articles(tmp_path, today=TODAY)
    assert next(articles).article_id == "a"  # b.md has not been read yet
    with pytest.raises(ArticleFormatError, match=r"b\.md:\d+: front matter does not parse"):
        next(articles)


# ---------------------------------------------------------------------------------------
# Without a callback; read_article


def test_first_error_raises_without_callback(tmp_path):
    path = tmp_path / "a.png.txt"
    path.write_bytes(b"\x89PNG\r\n")
    with pytest.raises(ArticleFormatError, match="binary file") as info:
        load_articles(path)
    assert isinstance(info.value, FrontlineError) and isinstance(info.value, ValueError)
    assert info.value.origin == str(path)


def test_warnings_are_logged_without_callback(tmp_path, caplog):
    path = tmp_path / "a.md"
    path.write_text("No date here.", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="frontline.articles"):
        [article] = load_articles(path)
    assert article.published is None
    assert "no publication date" in caplog.text


def test_read_article(tmp_path):
    path = tmp_path / "a.md"
    path.write_text(md(), encoding="utf-8")
    assert read_article(path).title == "Kherson"
    rows = tmp_path / "rows.jsonl"
    rows.write_text(
        '{"id": 1, "text": "a", "published": "2022-11-12"}\n'
        '{"id": 2, "text": "b", "published": "2022-11-12"}\n',
        encoding="utf-8",
    )
    with pytest.raises(ArticleFormatError, match="several articles"):
        read_article(rows)
    with pytest.raises(InputNotFoundError, match="no such file or folder"):
        read_article(tmp_path / "nope.md")
    empty = tmp_path / "e.txt"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(ArticleFormatError, match="no article.*empty"):
        read_article(empty)
    with pytest.raises(ArticleFormatError, match="is a folder"):
        read_article(tmp_path)


def test_problem_strings():
    assert str(Problem("a.jsonl:3", "invalid JSON", "error")) == "a.jsonl:3: invalid JSON"
    assert str(Problem("x", "no such file or folder: x")) == "no such file or folder: x"


# ---------------------------------------------------------------------------------------
# Publication dates


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2022-11-12", (2022, 11, 12)),
        ("2022-11-12T08:00:00Z", (2022, 11, 12)),
        ("2022-11-12T23:30:00-05:00", (2022, 11, 12)),
        ("2022-11-12 08:00", (2022, 11, 12)),
        ("2022/11/12", (2022, 11, 12)),
        ("20221112", (2022, 11, 12)),
        ("12.11.2022", (2022, 11, 12)),
        ("12/11/2022 09:00", None),
        ("13/11/2022", (2022, 11, 13)),
        ("11/13/2022", (2022, 11, 13)),
        ("12 November 2022", (2022, 11, 12)),
        ("12th November, 2022", (2022, 11, 12)),
        ("Nov 12, 2022", (2022, 11, 12)),
        ("Nov. 12, 2022", (2022, 11, 12)),
        ("November 12 2022 at 10:15 EET", (2022, 11, 12)),
        ("Saturday, 12 November 2022", (2022, 11, 12)),
        ("Sat, 12 Nov 2022 08:00:00 +0000", (2022, 11, 12)),
        ("Published: 12 Nov 2022", (2022, 11, 12)),
        ("12 листопада 2022 року", (2022, 11, 12)),
        ("12 ноября 2022 г.", (2022, 11, 12)),
        (dt.date(2022, 11, 12), (2022, 11, 12)),
        (dt.datetime(2022, 11, 12, 8, 0), (2022, 11, 12)),
        (1668240000, (2022, 11, 12)),
        (1668240000000, (2022, 11, 12)),
    ],
)
def test_parse_published(value, expected):
    if expected is None:
        with pytest.raises(ValueError, match="ambiguous"):
            parse_published(value)
    else:
        assert parse_published(value) == dt.date(*expected)


@pytest.mark.parametrize(
    "value",
    [
        "2022-02-30",
        "2022",
        "November 2022",
        "yesterday",
        "0001-01-01",
        "99999999999999999999",
        True,
        [2022],
        "12 Foo 2022",
        "2022-11-12" * 20,
    ],
)
def test_parse_published_rejects(value):
    with pytest.raises(ValueError):
        parse_published(value)


@pytest.mark.parametrize("value", [None, "", "   "])
def test_parse_published_empty(value):
    assert parse_published(value) is None


# ---------------------------------------------------------------------------------------
# Hostile input: catastrophic backtracking and arbitrary bytes

ADVERSARIAL = {
    "front.md": "---\n" + "a: " * 20_000 + "\n---\n" + "x" * 900_000,
    "dash.md": "---\n" + "-" * 1_000_000,
    "heading.md": "#" * 1_000_000,
    "dates.md": "---\npublished: " + "1" * 30_000 + "-" * 30_000 + "\n---\n" + "x " * 450_000,
    "quoted.csv": 'id,text\n1,"' + 'a""' * 333_000 + "\n",
    "meta.html": "<meta " * 200_000,
    "nested.html": "<div>" * 100_000 + "Kherson" + "</div>" * 100_000,
    "quotes.csv": "id,text\n" + '"' * 1_000_000,
    "header.csv": "id," * 300_000 + "text\n1,x\n",
    "deep.jsonl": "[" * 500_000 + "\n",
    "braces.jsonl": '{"text": "' + "\\" * 999_999 + '"}\n',
    "spaces.txt": " " * 1_000_000 + "x",
    "newlines.txt": "\r" * 1_000_000,
}


@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
def test_adversarial_megabyte_inputs_finish_in_seconds(tmp_path, name):
    path = tmp_path / name
    path.write_text(ADVERSARIAL[name], encoding="utf-8")
    start = time.process_time()
    articles, problems = read(path)
    assert time.process_time() - start < 10
    for article in articles:
        assert_safe_id(article.article_id, tmp_path)


def test_adversarial_dates_and_ids_are_fast():
    start = time.process_time()  # this process's CPU: a busy machine does not count
    for text in ("1" * 1_000_000, "Nov " * 250_000, "12 " * 300_000, "/." * 500_000):
        with pytest.raises(ValueError):
            parse_published(text)
        safe_article_id(text)
    assert safe_article_id("." * 1_000_000) == "article"
    assert time.process_time() - start < 5  # about 1 s; quadratic would take hours


FORMATS = ["md", "txt", "html", "jsonl", "csv", "tsv", "md.gz", "jsonl.gz", "csv.gz"]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=2000), fmt=st.sampled_from(FORMATS))
def test_arbitrary_bytes_never_crash(tmp_path_factory, data, fmt):
    folder = tmp_path_factory.mktemp("bytes")
    path = folder / f"input.{fmt}"
    path.write_bytes(gzip.compress(data) if fmt.endswith(".gz") else data)
    check_read(path, folder)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    text=st.text(max_size=500),
    fmt=st.sampled_from(FORMATS),
    encoding=st.sampled_from(["utf-8", "utf-16", "cp1251"]),
)
def test_arbitrary_text_never_crashes(tmp_path_factory, text, fmt, encoding):
    folder = tmp_path_factory.mktemp("text")
    path = folder / f"input.{fmt}"
    data = text.encode(encoding, errors="replace")
    path.write_bytes(gzip.compress(data) if fmt.endswith(".gz") else data)
    check_read(path, folder)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(
        st.dictionaries(
            st.sampled_from(["id", "title", "published", "source", "url", "text", "body", "x"]),
            st.one_of(
                st.text(max_size=40),
                st.integers(),
                st.none(),
                st.booleans(),
                st.lists(st.integers(), max_size=2),
                st.floats(allow_nan=True),
            ),
        ),
        max_size=8,
    )
)
def test_arbitrary_rows_give_safe_unique_ids(tmp_path_factory, rows):
    folder = tmp_path_factory.mktemp("rows")
    path = folder / "rows.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    articles = check_read(path, folder)
    assert len(articles) <= len(rows)


def check_read(path: Path, folder: Path) -> list[Article]:
    articles, problems = read(path)
    ids = [a.article_id for a in articles]
    assert len(set(ids)) == len(ids)
    for article in articles:
        assert_safe_id(article.article_id, folder)
        assert article.text.strip()
        article.text.encode("utf-8")  # no lone surrogates reach later stages
        article.title.encode("utf-8")
        assert article.published is None or isinstance(article.published, dt.date)
    for problem in problems:
        assert problem.severity in ("error", "warning", "skipped") and problem.message
    return articles


# ---------------------------------------------------------------------------------------
# Real inputs from the evaluation corpora (skipped when ../shared/eval is absent)

needs_eval = pytest.mark.skipif(not EVAL.is_dir(), reason="evaluation data (../shared/eval) absent")


@pytest.mark.eval
@needs_eval
def test_eval_dev_articles_read_cleanly():
    articles, problems = read(EVAL / "dev" / "articles")
    assert len(articles) >= 4 and len(problems) == 0
    assert all(a.published and a.title and a.source for a in articles)


@pytest.mark.eval
@needs_eval
def test_eval_press_release_export_is_read_through_aliases():
    path = EVAL / "ukraine" / "zelenskyy_press_releases.csv"
    if not path.exists():
        pytest.skip("press release export absent")
    articles, problems = read(path)
    assert len(articles) >= 900
    assert not problems.errors
    assert all(
        a.published and dt.date(2021, 1, 1) <= a.published <= dt.date(2022, 12, 31)
        for a in articles
    )
    assert all(a.url.startswith("https://") for a in articles)
    assert sum(bool(a.title) for a in articles) >= 0.99 * len(articles)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "data:text/html,<b>x</b>",
        "JaVaScRiPt:alert(1)",
        "ftp://example.org/a",
        "vbscript:x",
    ],
)
def test_only_web_urls_are_kept(tmp_path, url):
    path = tmp_path / "a.md"
    path.write_text(
        f'---\ntitle: t\npublished: 2022-11-12\nurl: "{url}"\n---\nKherson.\n', encoding="utf-8"
    )
    problems = []
    [article] = load_articles(path, on_problem=problems.append)
    assert article.url == ""
    assert any("not an http(s) link" in p.message for p in problems)


def test_web_urls_are_kept(tmp_path):
    path = tmp_path / "a.md"
    path.write_text(
        "---\nurl: https://example.org/x?a=1\npublished: 2022-11-12\n---\nKherson.\n",
        encoding="utf-8",
    )
    assert load_articles(path)[0].url == "https://example.org/x?a=1"


def test_article_reads_published_given_as_text_or_datetime():
    import datetime as dt

    from frontline.errors import ArticleFormatError

    assert Article("a1", "t", published="12 November 2022").published == dt.date(2022, 11, 12)
    assert Article("a1", "t", published=dt.datetime(2022, 11, 12, 8)).published == dt.date(
        2022, 11, 12
    )
    with pytest.raises(ArticleFormatError, match="a1: published: not a date"):
        Article("a1", "t", published="soon")
