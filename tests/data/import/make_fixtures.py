#!/usr/bin/env python3
"""Writes the clerk's files that tests/formats/xlsx_reader_test.cc, tests/formats/csv_test.cc and
tests/cli/import_sheets_test.cc read (docs/IMPORT.md "Fixtures"). They are checked in; run this
again only to change them:  python3 tests/data/import/make_fixtures.py

How they are made, and which program's output each one copies:
- 花名册.csv: UTF-8 with a BOM and CRLF, as Excel's "CSV UTF-8 (逗号分隔)" saves; a 类型 column
  mixing households (户) and persons (人员); a household given by its name in 所在户; dates as
  2022/1/1, 2022-01-01 and 2022年1月1日.
- 采集人.csv: UTF-8 without BOM and LF, as WPS saves "CSV UTF-8"; scorers (the kind told by the
  columns, no 类型 column).
- 登记-gb18030.csv: GB18030 and CRLF, as Excel and WPS on a Chinese Windows save "CSV (逗号分隔)";
  awards with names in place of codes (项目 参加升国旗仪式, 对象 王芳, 采集人 李网格), a decimal qty.
- 登记.xlsx: an Excel-style workbook written with Python's zipfile: shared strings (one with a
  phonetic run, which is not part of the value), a date cell as a serial number with a date style,
  a date as text, an inline string (as WPS writes some cells) and a formula's cached string; two
  sheets, the second named 四月 for --sheet.
"""
import os
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))


def write(name, text, encoding, newline):
    data = text.replace("\n", newline).encode(encoding)
    if encoding == "utf-8-sig":
        pass
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


roster = """类型,村,户号,户名,股数,人员编号,姓名,所在户,身份,起始日期,录入时间
户,SYS,H01,张建国,3,,,,,2022/1/1,2022-01-01T08:00:00+08:00
户,双杨树村,H02,李明,2,,,,,2022年1月1日,2022-01-01T08:00:00+08:00
户,SYS,H03,王芳,1,,,,,2022-01-01,2022-01-01T08:00:00+08:00
人员,SYS,,,,P0101,张建国,H01,村民,2022/1/1,2022-01-01T08:00:00+08:00
人员,SYS,,,,P0102,王芳,张建国,村民,2022/1/1,2022-01-01T08:00:00+08:00
人员,SYS,,,,P0201,李明,H02,,2022/1/1,2022-01-01T08:00:00+08:00
人员,SYS,,,,P0202,王芳,李明,非村民,2022/1/1,2022-01-01T08:00:00+08:00
人员,SYS,,,,P0301,赵强,H03,村民,2022/1/1,2022-01-01T08:00:00+08:00
"""
write("花名册.csv", roster, "utf-8-sig", "\r\n")

scorers = """村,采集人,姓名,角色,本人编号,录入时间
SYS,S1,李网格,网格员,P0201,2022-01-01T08:00:00+08:00
SYS,S2,赵主任,村两委,,2022-01-01T08:00:00+08:00
"""
write("采集人.csv", scorers, "utf-8", "\n")

awards = '''编号,日期,村,对象,项目,数量,采集人,地点,事由,证据,录入时间
SYS-0301,2022/3/5,SYS,张建国,参加升国旗仪式,,李网格,村委会广场,升旗,,2022/3/6 10:00
SYS-0302,2022-03-06,双杨树村,王芳,门前三包落实到位,1,李网格,,"门前""三包""",,2022/3/6 10:05
SYS-0303,2022年3月7日,SYS,P0201,C3.02,2.5,S1,东街,"修路, 清淤",photo-0307.jpg；photo-0307b.jpg,2022/3/8 9:00
'''
write("登记-gb18030.csv", awards, "gb18030", "\r\n")


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def col(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def xlsx(path, sheets):
    """sheets: [(name, rows)], each row a list of cells: None, str, int/float, ("date", serial),
    ("inline", str), ("formula-str", str), ("ruby", str, reading)."""
    shared = []

    def sst(s):
        if s not in shared:
            shared.append(s)
        return shared.index(s)

    sheet_xml = []
    for _, rows in sheets:
        out = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
               'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
               '<dimension ref="A1"/><sheetData>']
        for r, row in enumerate(rows, start=1):
            if row is None:
                continue
            out.append(f'<row r="{r}">')
            for c, v in enumerate(row):
                ref = f"{col(c)}{r}"
                if v is None:
                    continue
                if isinstance(v, tuple) and v[0] == "date":
                    out.append(f'<c r="{ref}" s="1"><v>{v[1]}</v></c>')
                elif isinstance(v, tuple) and v[0] == "inline":
                    out.append(f'<c r="{ref}" t="inlineStr"><is><t>{esc(v[1])}</t></is></c>')
                elif isinstance(v, tuple) and v[0] == "formula-str":
                    out.append(f'<c r="{ref}" t="str"><f>TRIM("{esc(v[1])}")</f><v>{esc(v[1])}</v></c>')
                elif isinstance(v, tuple) and v[0] == "ruby":
                    shared.append(("ruby", v[1], v[2]))
                    out.append(f'<c r="{ref}" t="s"><v>{len(shared) - 1}</v></c>')
                elif isinstance(v, str):
                    out.append(f'<c r="{ref}" t="s"><v>{sst(v)}</v></c>')
                else:
                    out.append(f'<c r="{ref}"><v>{v}</v></c>')
            out.append("</row>")
        out.append("</sheetData></worksheet>")
        sheet_xml.append("".join(out))

    def si(s):
        if isinstance(s, tuple):
            return (f'<si><r><t>{esc(s[1])}</t></r><rPh sb="0" eb="1"><t>{esc(s[2])}</t></rPh>'
                    f'<phoneticPr fontId="1"/></si>')
        return f"<si><t>{esc(s)}</t></si>"

    sst_xml = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
               f'count="{len(shared)}" uniqueCount="{len(shared)}">' + "".join(si(s) for s in shared) + "</sst>")
    workbook = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                '<workbookPr defaultThemeVersion="124226"/><sheets>' +
                "".join(f'<sheet name="{esc(n)}" sheetId="{i + 1}" r:id="rId{i + 1}"/>'
                        for i, (n, _) in enumerate(sheets)) + "</sheets></workbook>")
    rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
            "".join(f'<Relationship Id="rId{i + 1}" '
                    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
                    f'Target="worksheets/sheet{i + 1}.xml"/>' for i in range(len(sheets))) +
            f'<Relationship Id="rId{len(sheets) + 1}" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
            'Target="sharedStrings.xml"/>'
            f'<Relationship Id="rId{len(sheets) + 2}" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
            'Target="styles.xml"/></Relationships>')
    styles = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
              '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
              '<fonts count="1"><font><sz val="11"/><name val="宋体"/></font></fonts>'
              '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
              '<borders count="1"><border/></borders>'
              '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
              '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
              '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
              '</styleSheet>')
    types = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
             '<Default Extension="xml" ContentType="application/xml"/>'
             '<Override PartName="/xl/workbook.xml" '
             'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
             "".join(f'<Override PartName="/xl/worksheets/sheet{i + 1}.xml" '
                     'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                     for i in range(len(sheets))) + "</Types>")
    root_rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                 '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                 '<Relationship Id="rId1" '
                 'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
                 'Target="xl/workbook.xml"/></Relationships>')
    with zipfile.ZipFile(os.path.join(HERE, path), "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in [("[Content_Types].xml", types), ("_rels/.rels", root_rels),
                           ("xl/workbook.xml", workbook), ("xl/_rels/workbook.xml.rels", rels),
                           ("xl/styles.xml", styles), ("xl/sharedStrings.xml", sst_xml)] + \
                [(f"xl/worksheets/sheet{i + 1}.xml", x) for i, x in enumerate(sheet_xml)]:
            info = zipfile.ZipInfo(name, date_time=(2022, 3, 31, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)


header = ["编号", "日期", "村", "对象", "项目", "数量", "采集人", "地点", "事由", "证据", "录入时间"]
march = [
    header,
    None,  # an empty row
    ["SYS-0311", ("date", 44631), "SYS", ("ruby", "张建国", "ちょう"), "参加升国旗仪式", None, "李网格",
     "村委会广场", None, None, "2022-03-12T09:00:00+08:00"],
    ["SYS-0312", "2022/3/12", ("inline", "SYS"), "赵强", "C7.03", 1, ("formula-str", "S1"), None,
     "门前三包", None, ("date", "44632.5")],
    ["示例", "2022/3/1", "SYS", "张建国", "参加升国旗仪式", 1, "李网格"],  # a template's example row
]
april = [header, ["SYS-0401", ("date", 44656), "SYS", "李明", "C3.02", 0.75, "李网格", None, None, None,
                  "2022-04-05T09:00:00+08:00"]]
xlsx("登记.xlsx", [("三月", march), ("四月", april)])
