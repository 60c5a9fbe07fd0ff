"""Normalisation on text written in the style of PDF pages and web mirrors."""
from kg.extract.metrics import chinese_number, find as find_metrics
from kg.text import is_page_furniture, normalise, sentences

PAGE = """□王明

2 0 2 4 年，江山市财政局对全市
38 个项目开展事前绩效评估，核减资金
1 . 86 亿元，核减率达12 .5%。

实施“三色预警”监控机制。
"""


def test_broken_numbers_and_column_breaks_are_repaired():
    norm = normalise(PAGE)
    assert "2024年,江山市财政局对全市38个项目开展事前绩效评估,核减资金1.86亿元,核减率达12.5%。" in norm.text
    assert "\n实施“三色预警”监控机制。" in norm.text


def test_offsets_point_back_into_the_original():
    norm = normalise(PAGE)
    i = norm.text.index("1.86亿元")
    start, end = norm.span(i, i + len("1.86亿元"))
    assert PAGE[start:end] == "1 . 86 亿元"


def test_traditional_pinyin_and_full_width_web_text():
    raw = "該縣推行績(jì)效監(jiān)控，完成１２３個項目，覆蓋率９８％。"
    norm = normalise(raw)
    assert norm.text == "该县推行绩效监控,完成123个项目,覆盖率98%。"
    assert norm.display.startswith("該縣推行績效監控")
    assert len(norm.index) == len(norm.text) + 1


def test_heading_sentences_are_leads():
    norm = normalise(PAGE)
    leads = [norm.text[s.start:s.end] for s in sentences(norm) if s.lead]
    assert leads == ["实施“三色预警”监控机制。"]


def test_metric_values_are_normalised():
    text = "累计投入资金3400余万元,惠及群众1.2万人次,平均得分96.5,五个预算单位参与,2023年9月8日启动。"
    found = {(float(m.value), m.unit, m.approximate) for m in find_metrics(text, [])}
    assert found == {(34000000.0, "元", "余"), (12000.0, "人次", ""), (96.5, "分", ""), (5.0, "个", "")}


def test_chinese_numerals():
    assert [chinese_number(s) for s in ("五", "十二", "三百五十", "两")] == [5, 12, 350, 2]
    assert chinese_number("二三") is None


def test_jieba_user_dictionary_comes_from_thesaurus_and_gazetteer():
    from kg.segment import words
    assert "事前绩效评估" in words("开展事前绩效评估")
    assert "准格尔旗" in words("准格尔旗财政局推行")


# the header of tests/heldout/corpus/h06_paper_page.txt, the same newspaper as the seed page
SEED_STYLE_HEADER = "2 0 2 4 年 6 月 2 1 日  星期五            财政视窗            3"


def test_newspaper_page_headers_are_page_furniture():
    headers = [SEED_STYLE_HEADER,
               "2023年3月15日 星期三 第05版 编辑：王明 财经周刊",
               "2024年6月21日 星期五 農曆甲辰年五月十六 第A3版 責任編輯：陳明 人民日報 財政視窗"]
    assert all(is_page_furniture(h) for h in headers)


def test_body_lines_and_titles_with_dates_or_numbers_are_not_furniture():
    lines = [" 2 0 2 4 年共考核第三方机构12 ", " 2 0 2 4 年，全县共接收直达资金",
             "2023年3月15日，江山市财政局召开绩效评价推进会。", "汶上县 完善事前绩效评估机制",
             "如皋市“双向考核”", "财政视窗", "06", "2024年6月21日 全县 召开 预算 绩效 会议"]
    assert not any(is_page_furniture(l) for l in lines)
