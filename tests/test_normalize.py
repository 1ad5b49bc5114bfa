"""Text normalization rules (huayin.text.tn): one or two exact cases per rule family, and spans."""

import pytest

from huayin.text.normalize import normalize
from huayin.text.numbers import read_cardinal, read_decimal


def said(text: str) -> str:
    return normalize(text).text


@pytest.mark.parametrize(
    ("number", "spoken"),
    [("2000", "两千"), ("22000", "两万两千"), ("200", "二百"), ("120000000", "一亿两千万"),
     ("2", "二"), ("20", "二十")],
)
def test_liang_before_qian_wan_yi(number, spoken):
    assert read_cardinal(number, liang=True) == spoken


def test_amounts_drop_trailing_zeros_only_when_asked():
    assert read_decimal("36.00", drop_trailing_zeros=True) == "三十六"
    assert read_decimal("5.0") == "五点零"


@pytest.mark.parametrize(
    ("text", "normalized"),
    [
        # cardinals, 两/二, decimals, negatives
        ("我有2个苹果", "我有两个苹果"), ("共2000人", "共两千人"), ("请按2", "请按二"),
        ("-5.5", "负五点五"), (".22口径", "零点二二口径"), ("1,234,567", "一百二十三万四千五百六十七"),
        # percentages, ‰, fractions, ordinals, ranges
        ("-98%", "负百分之九十八"), ("3‰", "千分之三"), ("0.70%", "百分之零点七"),
        ("2.5%~3.5%", "百分之二点五到百分之三点五"),
        ("3/4", "四分之三"), ("-1/3", "负三分之一"), ("1/2", "二分之一"),
        ("第2名", "第二名"), ("第1000100", "第一百万零一百"), ("3~5天", "三到五天"),
        ("第2-4名", "第二到四名"), ("第10～12届", "第十到十二届"),
        ("1-2天", "一到两天"),
        # years, dates, times, ranges of them
        ("2020年", "二零二零年"), ("86年8月18日", "八六年八月十八日"), ("在1990年代", "在一九九零年代"),
        ("我工作了10年", "我工作了十年"), ("50年代", "五十年代"), ("80后", "八零后"),
        ("2023年10月1日", "二零二三年十月一日"), ("2023-10-01", "二零二三年十月一日"),
        ("2023/10/01", "二零二三年十月一日"), ("10月1日", "十月一日"), ("5月2号", "五月二号"),
        ("1998-2008年", "一九九八到二零零八年"), ("2022-2023赛季", "二零二二到二零二三赛季"),
        ("2021-22赛季", "二零二一到二二赛季"), ("1999/00财年", "一九九九到零零财年"),
        ("截至2022-06", "截至二零二二年六月"), ("2021/11月报", "二零二一年十一月报"),
        ("2000-12人", "两千到十二人"),
        ("2334bc", "公元前二三三四年"), ("公元前202年", "公元前二零二年"),
        ("10:30", "十点三十分"), ("10:30:15", "十点三十分十五秒"), ("8:00", "八点"),
        ("03:04", "三点四分"), ("下午3点", "下午三点"), ("2点半", "两点半"),
        ("9:00-21:00", "九点到二十一点"),
        # scores and ratios, arithmetic
        ("3:2", "三比二"), ("比分17:16", "比分十七比十六"), ("1+1=2", "一加一等于二"),
        ("5-3=2", "五减三等于二"), ("6÷3>1", "六除以三大于一"),
        # money
        ("¥12.5", "十二点五元"), ("12.5元", "十二点五元"), ("$3", "三美元"), ("100 USD", "一百美元"),
        ("$1.5万", "一点五万美元"), ("36.00元", "三十六元"), ("2块", "两块"),
        # units and temperatures
        ("5km", "五千米"), ("2kg", "两千克"), ("60km/h", "六十千米每小时"), ("100㎡", "一百平方米"),
        ("20m²", "二十平方米"), ("38°C", "三十八摄氏度"), ("25℃", "二十五摄氏度"),
        ("-5℃", "零下五摄氏度"), ("零下-5℃", "零下五摄氏度"), ("3~5kg", "三到五千克"),
        ("5G", "五G"), ("iPhone 5s", "iPhone 五s"),
        # phone numbers, IDs, codes: digit by digit, with 一
        ("13800138000", "一三八零零一三八零零零"), ("+86 18544139121", "八六一八五四四一三九一二一"),
        ("0421-33441122", "零四二一三三四四一一二二"), ("400-820-8820", "四零零八二零八八二零"),
        ("编号27149", "编号二七一四九"), ("验证码是386521", "验证码是三八六五二一"),
        ("15873690", "一五八七三六九零"), ("10000000", "一千万"), ("ISO9001", "ISO九零零一"),
        ("110105194912310021", "一一零一零五一九四九一二三一零零二一"),
        # letters, widths, traditional characters
        ("这是一个ufo", "这是一个UFO"), ("c e o", "CEO"), ("iPad Pro", "iPad Pro"),
        ("ＡＢＣ１２３", "ABC一二三"), ("電話號碼", "电话号码"), ("试著", "试著"),
        ("你好，世界！", "你好，世界！"),
    ],
)
def test_rules(text, normalized):
    assert said(text) == normalized


def test_spans_point_at_what_was_read():
    text = "共12个，2023-10-01"
    result = normalize(text)
    by_char = dict(zip(result.text, result.spans))
    assert result.text == "共十二个，二零二三年十月一日"
    assert result.spans[1] == result.spans[2] == (1, 3)  # 十二 ← "12"
    assert result.spans[3] == (3, 4)  # 个 untouched
    assert by_char["年"] == (9, 10)  # 年 ← the first hyphen
    assert by_char["日"] == (13, 15)  # 日 reads with the day "01"


def test_reordered_readings_point_at_the_whole_match():
    result = normalize("价格$5")
    assert result.text == "价格五美元"
    assert result.spans[2:] == ((2, 4),) * 3


def test_spans_survive_width_folding():
    result = normalize("１２個")
    assert result.text == "十二个"
    assert result.spans == ((0, 2), (0, 2), (2, 3))


@pytest.mark.parametrize("text", [
    "", "😀\u0000\u200b", "1-" * 500, "年-1" * 200, "1,2,3.4.5:6",
    # runs built from the pieces of the real-world rules (issue 20): units, slashes, codes, web
    "1/" * 500, "5元/" * 300, "a.com/1" * 200, "9秒5" * 300, "京A·1" * 300, "比分1:2，" * 200,
    "C:\\a1" * 200, "x_1@" * 200, "2栋1" * 300, "10^" * 300, "×1" * 300, "1:02:03.4" * 100,
])
def test_odd_input_stays_aligned_and_reads_every_digit(text):
    result = normalize(text)
    assert len(result.text) == len(result.spans)
    assert all(0 <= start < end <= len(text) for start, end in result.spans)
    assert not any(char in "0123456789" for char in result.text)


@pytest.mark.parametrize(("text", "normalized"), [
    ("5¼杯面粉", "五又四分之一杯面粉"),  # a digit before a vulgar fraction: a mixed number
    ("３¾小时", "三又四分之三小时"),
    ("½个西瓜", "二分之一个西瓜"),
    ("1⁄4", "四分之一"),  # typed with U+2044 FRACTION SLASH
])
def test_vulgar_fractions(text, normalized):
    assert normalize(text).text == normalized


@pytest.mark.parametrize(("text", "normalized"), [
    ("营收同比+5.2%，环比-3.1%", "营收同比正百分之五点二，环比负百分之三点一"),
    ("收益率+0.35个百分点", "收益率正零点三五个百分点"),
    ("气温-5℃到+3℃", "气温零下五摄氏度到零上三摄氏度"),
    ("+1赞同", "加一赞同"),  # a bare +N is said 加
    ("3+5=8", "三加五等于八"),  # after a digit: arithmetic, as before
    ("C++11标准", "C++十一标准"),
    ("+8613812345678", "八六一三八一二三四五六七八"),  # phone numbers keep their own rule
])
def test_plus_sign(text, normalized):
    assert normalize(text).text == normalized
