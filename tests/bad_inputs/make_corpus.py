"""Writes the bad-input corpus of this directory (run it from anywhere; the files are committed).

Each file is one way an input can be bad; the articles are our own, written in the style of
real reports. `kg build tests/bad_inputs` must read every good article, report every bad
input with its reason, and never crash. This script itself is an unrelated file there.
"""
from __future__ import annotations

import json
import struct
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent

NINGJIN = """宁津县推行“一窗通办”提升政务服务效能

今年以来，宁津县行政审批服务局全面推行“一窗通办”改革，将企业开办、不动产登记、社保医保等126个高频事项纳入综合窗口，实行“前台综合受理、后台分类审批、统一窗口出件”。

截至6月底，全县综合窗口共受理业务3.26万件，群众平均等待时间由25分钟缩短至8分钟，办事满意度达99.2%。

（张立新）
"""

HAIYAN = """海盐县建立预算执行“三色”预警机制

海盐县财政局建立预算执行“三色”预警机制，对项目支出进度实行红、黄、绿三色动态管理，每月通报各部门执行情况，对执行偏慢的项目约谈督促。

2023年，全县共发出预警提示136条，督促整改项目89个，预算执行率达98.6%，较上年提高4.3个百分点。

（王䶮）
"""

QIDONG = """祁东县全面推行财政电子票据改革

祁东县财政局全面推行财政电子票据改革，医疗、教育、行政事业性收费等领域实现电子票据“应开尽开”，缴款人可通过手机随时查验下载。

改革实施以来，全县累计开具财政电子票据52.8万张，涉及金额3.4亿元，节约纸质票据印制成本86万元。

（李秋云）
"""

BINCHUAN = """宾川县以零基预算改革打破支出固化格局

今年，宾川县财政局在县级部门全面推行零基预算改革，打破“基数加增长”的预算编制方式，所有项目按照轻重缓急重新排序、重新论证。

通过零基预算改革，全县压减一般性支出1860万元，收回部门沉淀资金2350万元，统筹用于教育、养老等民生领域。

（杨春华）
"""

LIYANG = """溧阳市推行“信用+审批”模式 企业办事更便捷

溧阳市行政审批局推行“信用+审批”模式，对信用良好的企业实行告知承诺制，申请材料齐全即可当场发证，不再进行现场核查。

今年以来，全市共有412家企业通过“信用+审批”模式办理许可，审批时限平均压缩65%，为企业节约办事时间1.2万小时。
"""

SONGXIAN = """栾川县推行“容缺受理”机制

栾川县政务服务中心推行“容缺受理”机制，对基本条件具备、主要材料齐全的事项，先行受理审查，次要材料在规定时限内补齐。

机制运行以来，已为企业和群众容缺办理业务2150件，平均办理时限缩短4个工作日。
"""

SIHONG = """泗洪县“帮代办”服务助力项目落地

泗洪县政务服务管理办公室组建“帮代办”服务专班，为重大项目提供从签约到投产的全程免费帮办代办服务。

今年以来，专班共为67个重点项目代办审批事项530项，项目审批平均用时压缩至45个工作日。
"""

LONG_HEAD = "东阿县推行“全域一网通办”改革。东阿县行政审批服务局依托政务服务平台推行“全域一网通办”改革，全年网上办理业务8.6万件。"
LONG_FILL = "各项工作按照年度计划有序推进，相关部门密切配合，形成了工作合力。"

NO_LOCALITY = """推行“首问负责制” 群众办事不再来回跑

我局推行“首问负责制”，第一个接待群众的工作人员负责解答和引导，不得推诿。

制度实行以来，共接待群众咨询1200人次，群众满意率达98.5%。
"""

NO_MECHANISM = """武功县召开全县财政工作会议

3月12日，武功县召开全县财政工作会议，总结去年财政工作，安排部署今年重点任务。

会议要求，各部门要认真履职尽责，确保全年各项任务圆满完成。
"""

HTML_PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>溧阳市推行“信用+审批”模式 企业办事更便捷_常州政务网</title>
<style>body { font-family: sans-serif; } .nav::after { content: "首页"; }</style>
<script>var city = "临清市"; document.write("<p>加载中……</p>");</script>
</head>
<body>
<header><div class="logo">常州政务网</div></header>
<nav><a href="/">首页</a> &gt; <a href="/news">政务动态</a> &gt; 正文</nav>
<article>
<h1>溧阳市推行“信用+审批”模式 企业办事更便捷</h1>
<p class="meta">来源：溧阳市行政审批局 发布时间：2024-05-20</p>
{paragraphs}
</article>
<aside><h3>相关新闻</h3><ul><li>济南市历下区推行“一业一证”改革</li><li>江山市推行“最多跑一次”</li></ul></aside>
<footer>版权所有 &copy; 常州政务网 备案号：苏ICP备00000000号</footer>
<script>window.stats = {"site": "临清市财政局"};</script>
</body>
</html>
"""

HTM_PAGE_GBK = """<html>
<head><meta http-equiv="Content-Type" content="text/html; charset=gbk"><title>栾川县推行“容缺受理”机制 - 洛阳新闻网</title></head>
<body>
<div id="top">网站首页 | 新闻中心 | 政务公开</div>
<nav>当前位置：首页 &gt; 县区动态</nav>
<div id="content">
{paragraphs}
</div>
<footer>主办单位：洛阳新闻网 &nbsp; 联系电话：0379-00000000</footer>
</body>
</html>
"""


def paragraphs_html(text: str) -> str:
    body = text.split("\n\n", 1)[1]
    return "\n".join(f"<p>{p.strip()}</p>" for p in body.split("\n\n") if p.strip())


def png() -> bytes:
    """A 2×2 grey PNG: binary data with NUL bytes."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\x00" + bytes([128, 128]) for _ in range(2))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def main() -> None:
    files = {
        "gbk_ningjin.txt": NINGJIN.encode("gbk"),
        # the same article again, in UTF-8 with CRLF line ends and layout spaces
        "dup_ningjin_utf8_crlf.txt": NINGJIN.replace("宁津县行政审批服务局", "宁津县行政审批服务局 ").replace("\n", "\r\n").encode("utf-8"),
        "gb18030_haiyan.txt": HAIYAN.encode("gb18030"),
        "utf16_qidong.txt": QIDONG.encode("utf-16"),            # with its BOM
        "utf16le_nobom_sihong.txt": SIHONG.encode("utf-16-le"),
        "utf8bom_binchuan.md": "\ufeff".encode("utf-8") + BINCHUAN.encode("utf-8"),
        "empty.txt": b"",
        "blank.txt": "  \n\u3000\n\n".encode("utf-8"),
        "binary_named.txt": png() + bytes(range(256)),
        "logo.png": png(),
        "notes.csv": "file,comment\ngbk_ningjin.txt,GBK\n".encode("utf-8"),
        "long_line.txt": (LONG_HEAD + LONG_FILL * 3000 + "\n").encode("utf-8"),
        "no_locality.txt": NO_LOCALITY.encode("utf-8"),
        "no_mechanism.txt": NO_MECHANISM.encode("utf-8"),
        "page.html": HTML_PAGE.replace("{paragraphs}", paragraphs_html(LIYANG)).encode("utf-8"),
        "sub/page_gbk.htm": HTM_PAGE_GBK.replace("{paragraphs}", paragraphs_html(SONGXIAN)).encode("gbk"),
    }
    feed = [
        json.dumps({"id": "bc-1", "title": "宾川县以零基预算改革打破支出固化格局",
                    "text": BINCHUAN.split("\n\n", 1)[1]}, ensure_ascii=False),
        "{not json at all",
        json.dumps({"id": "bc-2", "text": 12}),
        json.dumps({"id": "bc-3", "title": "无正文"}, ensure_ascii=False),
        "",
        json.dumps({"id": "bc-4", "title": "祁东县全面推行财政电子票据改革",
                    "text": QIDONG.split("\n\n", 1)[1]}, ensure_ascii=False),   # the same article as utf16_qidong.txt
        '{"id": "bc-5", "text": "宾川县推行',                                    # cut off
        json.dumps({"id": "bc-6", "title": "海盐县", "text": ""}, ensure_ascii=False),
    ]
    files["feed.jsonl"] = ("\n".join(feed) + "\n").encode("utf-8")
    for name, data in files.items():
        path = HERE / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


if __name__ == "__main__":
    main()
