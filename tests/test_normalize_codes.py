"""Codes and addresses (issue 20): digit by digit where a number names, cardinal where it counts."""

import pytest

from huayin.text.normalize import normalize


def said(text: str) -> str:
    return normalize(text).text


@pytest.mark.parametrize(
    ("text", "normalized"),
    [
        # stock codes, postal codes, pick-up codes
        ("格力电器（000651）", "格力电器（零零零六五一）"), ("招商银行(600036.SH)", "招商银行(六零零零三六.SH)"),
        ("邮政编码310012", "邮政编码三一零零一二"), ("取货码：4521", "取货码：四五二一"),
        ("取件码5-1-3022", "取件码五杠一杠三零二二"),
        # rooms and flats
        ("请到1203室", "请到一二零三室"), ("在305会议室开会", "在三零五会议室开会"),
        ("8栋1102", "八栋一一零二"), ("B座2106", "B座二一零六"), ("3单元602", "三单元六零二"),
        ("5号楼120平方米", "五号楼一百二十平方米"),
        # building 2 names a building; two buildings count
        ("2栋5楼", "二栋五楼"), ("2座1806", "二座一八零六"), ("2栋楼", "两栋楼"),
        # house numbers along a street are cardinals, however long
        ("解放路1205号", "解放路一千二百零五号"), ("长安街36号", "长安街三十六号"),
        ("1801号房", "一八零一号房"),
        # plates and trains
        ("浙A·88F66", "浙A八八F六六"), ("鲁B 67890", "鲁B六七八九零"), ("T8次", "T八次"),
        ("Z98次列车", "Z九八次列车"),
        # slashes between numbers: a blood pressure, a date where the words say so, else a fraction
        ("血压130/85mmHg", "血压一百三十比八十五毫米汞柱"), ("BP 100/60", "BP 一百比六十"),
        ("截至9/30", "截至九月三十日"), ("5/20当天", "五月二十日当天"),
        ("相当于1/3", "相当于三分之一"), ("降至1/4以下", "降至四分之一以下"),
        # number signs, resolutions, clothing sizes, rooms of a flat
        ("95#汽油", "九十五号汽油"), ("2#楼", "二号楼"), ("2160p视频", "二一六零p视频"),
        ("1080", "一千零八十"), ("160/84A", "一百六十/八十四A"), ("1/2A", "二分之一A"),
        ("4室2厅2卫", "四室两厅两卫"),
    ],
)
def test_codes_and_addresses(text, normalized):
    assert said(text) == normalized
