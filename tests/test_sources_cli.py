"""`calendar-svc sources`, `sources add` and `watch --once` against the fixture site on 127.0.0.1."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from calendar_svc import store
from calendar_svc.cli import main
from calendar_svc.sources import load_sources

from ingest_corpus import write_docx
from sources_site import GUIDE, NOTICES, FixtureSite, build_site


@pytest.fixture
def env(tmp_path, monkeypatch):
    config = tmp_path / "calendar-svc.toml"
    config.write_text(
        f'deadlines = "{tmp_path / "deadlines.toml"}"\ndatabase_url = "sqlite:///{tmp_path / "db.sqlite3"}"\n'
        f'[sources]\nfile = "{tmp_path / "sources.toml"}"\ncontact = "kyc@example.edu.cn"\ninterval = 0\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("CALENDAR_SVC_CONFIG", str(config))
    return tmp_path


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_sources_add_appends_and_refuses_mistakes(env):
    result = run("sources", "add", "广东省科技厅 通知公告", "https://gdstc.gd.gov.cn/zwgk_n/tzgg/index.html", "--tag", "科技厅", "--every", "6h")
    assert result.exit_code == 0, result.output
    assert "已添加来源「广东省科技厅 通知公告」" in result.output
    (source,) = load_sources(env / "sources.toml")
    assert source.tags == ("科技厅",) and source.every.total_seconds() == 6 * 3600 and not source.trusted
    again = run("sources", "add", "广东省科技厅 通知公告", "https://example.gov.cn/")
    assert again.exit_code == 1 and "已有名为 '广东省科技厅 通知公告' 的来源" in again.output
    assert run("sources", "add", "x", "ftp://example.gov.cn/").exit_code == 2
    too_often = run("sources", "add", "x", "https://example.gov.cn/", "--every", "1m")
    assert too_often.exit_code == 2 and "--every" in too_often.output
    assert run("sources", "add", "x", "https://example.gov.cn/", "--selector", "ul[").exit_code == 2
    listed = run("sources")
    assert "广东省科技厅 通知公告" in listed.output and "未检查" in listed.output


def test_a_broken_sources_file_names_its_line(env):
    (env / "sources.toml").write_text('[[source]]\nname = "a"\nurl = "https://a.cn/"\n\n[[source]]\nname = "b"\nurl = "not a url"\n', "utf-8")
    result = run("sources")
    assert result.exit_code == 1 and "sources.toml:5" in result.output and "url 必须是 http:// 或 https:// 网址" in result.output


def test_watch_once_then_sources_shows_what_was_found(env, tmp_path):
    docx = write_docx(GUIDE, tmp_path / "guide.docx").read_bytes()
    with FixtureSite() as site:
        urls = build_site(site, docx, b"%PDF-1.4 broken")
        for name, url in urls.items():
            assert run("sources", "add", name, url, "--every", "6h").exit_code == 0
        assert run("sources", "add", "坏的", site.url + "/broken/index.html").exit_code == 0
        result = run("watch", "--once")
        assert result.exit_code == 1  # one source failed
        assert "省科技厅：新通知 3 条" in result.output
        assert "坏的：检查失败" in result.output and "HTTP 500" in result.output
        records = store.load(env / "deadlines.toml")
        for _, _, sentence, _ in NOTICES:
            assert sum(1 for d in records if sentence[4:14] in d.quote) == 1
        assert all(not d.visible for d in records)  # none of these sources is trusted
        listed = run("sources")
        assert "连续失败 1 次" in listed.output and "HTTP 500" in listed.output
        assert "3/3" in listed.output  # 省科技厅: 3 new at the last check, 3 in all
        review = run("review", str(env / "deadlines.toml"))
        assert "新提取" in review.output and "来自「省科技厅」" in review.output
        second = run("watch", "--once")
        assert "省科技厅：新通知 0 条" in second.output
