"""Real-world numbers (issue 20): per slashes, unit symbols, race times, scores beside times."""

import pytest

from huayin.text.normalize import normalize


def said(text: str) -> str:
    return normalize(text).text


@pytest.mark.parametrize(
    ("text", "normalized"),
    [
        # a slash after a quantity and before a unit is 每; the unit symbol is read
        ("黄金1900美元/盎司", "黄金一千九百美元每盎司"), ("风速12米/秒", "风速十二米每秒"),
        ("8元/公斤", "八元每公斤"), ("血钾4.1mmol/L", "血钾四点一毫摩尔每升"),
        ("流速2mL/min", "流速两毫升每分钟"), ("¥39/月", "三十九元每月"),
        ("15元/250g", "十五元每二百五十克"), ("20GB/月", "二十GB每月"),
        ("速度1.5MB/s", "速度一点五MB每秒"), ("每月300kWh", "每月三百千瓦时"),
        ("3.5万亿kWh", "三点五万亿千瓦时"), ("48U/L", "四十八单位每升"),
        # ... but not between words, and not in a fraction of something counted
        ("男/女", "男/女"), ("出生年/月", "出生年/月"), ("3/4杯水", "四分之三杯水"),
        ("2U机架", "二U机架"),
        # a tilde between values with units is 到
        ("-10℃~-2℃", "零下十摄氏度到零下二摄氏度"), ("5kg～8kg", "五千克到八千克"),
        ("20元~30元", "二十元到三十元"), ("8千-1万元", "八千到一万元"), ("3m-5m", "三米到五米"),
        ("A-1", "A-一"), ("1万-", "一万-"),
        # signs before a number, powers
        ("≥90分", "大于等于九十分"), ("<5.2mmol/L", "小于五点二毫摩尔每升"),
        ("100ml×6瓶", "一百毫升乘六瓶"), ("3.6×10^9/L", "三点六乘十的九次方每升"),
        ("10^-6", "十的负六次方"),
        # 两 before measure words that take it
        ("2剂", "两剂"), ("2粒", "两粒"), ("2mg", "两毫克"), ("打2折", "打两折"),
        ("2单元", "二单元"), ("2楼", "二楼"), ("2号线", "二号线"),
    ],
)
def test_units_and_signs(text, normalized):
    assert said(text) == normalized


@pytest.mark.parametrize(
    ("text", "normalized"),
    [
        ("成绩10秒17", "成绩十秒一七"), ("2分10秒06", "两分十秒零六"), ("跳出6米90", "跳出六米九零"),
        ("1米8的个子", "一米八的个子"), ("他以3:51.22夺冠", "他以三分五十一秒二二夺冠"),
        ("用时1:59:40", "用时一小时五十九分四十秒"), ("成绩为3:05:09", "成绩为三小时零五分零九秒"),
        ("歌曲时长4:05", "歌曲时长四分零五秒"), ("片长1:00", "片长一分零秒"), ("配速6:15", "配速六分十五秒"),
        ("时长1:30:00", "时长一小时三十分零秒"),
        # digits after 秒 that count something are not hundredths
        ("每30秒10个", "每三十秒十个"),
        # an h:mm:ss without a result word is a clock time
        ("时间为3:05:09", "时间为三点五分九秒"), ("时长约10:30，下午3:30开始", "时长约十分三十秒，下午三点三十分开始"),
    ],
)
def test_race_times(text, normalized):
    assert said(text) == normalized


@pytest.mark.parametrize(
    ("text", "normalized"),
    [
        # each colon number is read by its own clause
        ("比分1:1，晚上8:15再战", "比分一比一，晚上八点十五分再战"),
        ("比赛于今晚20:00开始", "比赛于今晚二十点开始"), ("比赛定在19:30开球", "比赛定在十九点三十分开球"),
        ("比赛最终17:15结束", "比赛最终十七点十五分结束"), ("比分13:11", "比分十三比十一"),
        ("他以11:9拿下", "他以十一比九拿下"), ("以21:17获胜", "以二十一比十七获胜"),
        ("比分2:0，时间16:45:30", "比分二比零，时间十六点四十五分三十秒"),
        # a hyphen is a score where the words say so, a range otherwise
        ("以3-0取胜", "以三比零取胜"), ("2-2战平", "二比二战平"), ("比分4-3", "比分四比三"),
        ("3-5天", "三到五天"), ("风力5-6级", "风力五到六级"),
    ],
)
def test_scores_and_times_by_their_own_context(text, normalized):
    assert said(text) == normalized
