"""Everyday polyphones: the dictionary word wins over the character model, syntax rules decide
function words, surnames and measure words (readings after sandhi, as ``huayin g2p`` prints)."""

import pytest

from huayin.text import pinyin_line
from huayin.text.g2p import tagged_words
from huayin.text.polyphone import decide_readings
from huayin.text.punctuation import is_hanzi


@pytest.fixture(autouse=True)
def no_user_lexicon(tmp_path, monkeypatch):
    monkeypatch.setenv("HUAYIN_LEXICON", str(tmp_path / "absent-lexicon.txt"))


def reading_of(text: str, char: str, occurrence: int = 0) -> str:
    hanzi = [c for c in text if is_hanzi(c)]
    indices = [i for i, c in enumerate(hanzi) if c == char]
    return pinyin_line(text).split()[indices[occurrence]]


@pytest.mark.parametrize(
    ("text", "char", "reading"),
    [("超市的鸡蛋特别便宜", "便", "pian2"), ("你着什么急", "着", "zhao2"),
     ("王大夫来了", "大", "dai4"), ("帮我盛一碗汤", "盛", "cheng2"), ("倒车请注意", "倒", "dao4"),
     ("你得多穿点", "得", "dei3"), ("他跑得很快", "得", "de5"), ("他得了第一名", "得", "de2"),
     ("一觉睡到天亮", "觉", "jiao4"), ("天气暖和了", "和", "huo5"), ("这条路很长", "长", "chang2"),
     ("时间很长", "长", "chang2"), ("她留着长头发", "长", "chang2"), ("孩子长高了", "长", "zhang3"),
     ("吃不了就打包", "了", "liao3"), ("曾先生来了", "曾", "zeng1"), ("他曾经来过", "曾", "ceng2"),
     ("单老师好", "单", "shan4"), ("我去厦门", "厦", "xia4"), ("我在六安上学", "六", "lu4"),
     ("借的钱要按时还", "还", "huan2"), ("我还没吃饭", "还", "hai2"), ("这种花很好养", "种", "zhong3"),
     ("第三行有个错字", "行", "hang2"), ("把地扫一下", "地", "di4"), ("慢慢地走", "地", "de5")],
)
def test_everyday_polyphones(text, char, reading):
    assert reading_of(text, char) == reading


@pytest.mark.parametrize(
    ("text", "occurrence", "reading"),
    [("最后赢得了比赛", 0, "le5"), ("他获得了冠军", 0, "le5"), ("这么多饭你吃得了吗", 0, "liao3"),
     ("他去得了吗", 0, "liao3"), ("我受不了了", 0, "liao3"), ("我受不了了", 1, "le5")],
)
def test_le_after_obtain_words_and_a_potential_complement(text, occurrence, reading):
    # 得 "obtain" closing a verb (获得, 赢得) is no complement marker; 不了 is not a split word.
    assert reading_of(text, "了", occurrence) == reading


def test_reduplicated_verb_takes_the_verb_reading():
    assert pinyin_line("数数看有几个").split()[0] == "shu3"
    assert reading_of("你数一数有多少人", "数", 1) == "shu3"


def test_neutral_tone_of_the_dictionary_word_survives():
    assert pinyin_line("超市的鸡蛋特别便宜").split()[-2:] == ["pian2", "yi5"]
    assert pinyin_line("我买了很多东西").split()[-2:] == ["dong1", "xi5"]


def test_each_polyphone_names_the_source_that_decided():
    text = "超市的鸡蛋特别便宜，你得多穿点"
    clause = text.split("，")[0]
    decisions = decide_readings(clause, [w.text for w in tagged_words(clause)])
    bian = decisions[clause.index("便")]
    assert (bian.reading, bian.source, bian.polyphonic) == ("pian2", "word", True)
    assert "便宜" in bian.detail
    clause = text.split("，")[1]
    de = decide_readings(clause, [w.text for w in tagged_words(clause)])[1]
    assert (de.reading, de.source) == ("dei3", "rule")
    assert not decide_readings("你好", ["你好"])[0].polyphonic


def test_confident_model_overrules_only_a_rare_dictionary_word():
    # 拖拽 (rjieba frequency 4): CC-CEDICT's dated ye4 loses to g2pM's near-certain zhuai4.
    clause = "用鼠标拖拽文件"
    zhuai = decide_readings(clause, [w.text for w in tagged_words(clause)])[clause.index("拽")]
    assert (zhuai.reading, zhuai.source) == ("zhuai4", "model")
    assert "rare word" in zhuai.detail
    # A word only CC-CEDICT lists and rjieba's dictionary lacks is rare too.
    clause = "曹丕受禅称帝"
    chan = decide_readings(clause, [w.text for w in tagged_words(clause)])[clause.index("禅")]
    assert chan.source == "model" and "受禅 (CC-CEDICT) is a rare word" in chan.detail
    # Everyday words keep the dictionary reading however sure g2pM is: 炸鸡 (frequency 15), a
    # pypinyin phrase rjieba does not list (量血压, 一宿), a rare word a syntax rule confirms (量尺寸).
    for text, char, reading in (("我想吃炸鸡", "炸", "zha2"), ("我去医院量血压", "量", "liang2"),
                                ("我们聊了一宿", "宿", "xiu3"),
                                ("师傅正在量尺寸", "量", "liang2")):
        decision = decide_readings(text, [w.text for w in tagged_words(text)])[text.index(char)]
        assert (decision.reading, decision.source) == (reading, "word")


def decision_of(text: str, char: str, occurrence: int = 0):
    indices = [i for i, c in enumerate(text) if c == char]
    return decide_readings(text, [w.text for w in tagged_words(text)])[indices[occurrence]]


def test_rare_word_yields_to_the_model_even_where_the_dictionaries_agree():
    # 胸闷 (rjieba frequency 4): pypinyin and CC-CEDICT both copy men1; speech says men4.
    decision = decision_of("这种药可以缓解胸闷", "闷")
    assert (decision.reading, decision.source) == ("men4", "model")
    assert "rare word" in decision.detail


def test_a_word_cedict_lists_with_several_readings_goes_to_the_arbiter():
    # pypinyin reads 煞气 sha1 and 当天 dang4; CC-CEDICT lists both readings of each.
    for text, char, reading in (("他脸上带着一股煞气", "煞", "sha4"),
                                ("我们当天就回来了", "当", "dang1")):
        decision = decision_of(text, char)
        assert (decision.reading, decision.source) == (reading, "model")
        assert "several readings" in decision.detail
    # Not for a name (朝阳 is also a district: the sentence decides, the model cannot tell) nor
    # where a syntax rule confirms the word (吃不了: potential complement liao3).
    for text, char, reading in (("朝阳从东方升起", "朝", "zhao1"),
                                ("吃不了就打包", "了", "liao3")):
        decision = decision_of(text, char)
        assert (decision.reading, decision.source) == (reading, "word")


def test_cedict_neutral_tone_leaves_the_citation_tone_to_the_model():
    # 隔扇: pypinyin ge2 shan1, CC-CEDICT ge2 shan5; the citation tone is shan4.
    decision = decision_of("老房子的木隔扇很漂亮", "扇")
    assert (decision.reading, decision.source) == ("shan4", "word")
    assert "tone by the model" in decision.detail


def test_a_function_word_cut_off_by_the_segmenter_opens_no_phrase():
    # 都/会 is the adverb and the modal, not the noun 都会 (metropolis, du1).
    assert reading_of("他们都会游泳", "都") == "dou1"
    assert reading_of("上海是个国际大都会", "都") == "du1"


def test_own_table_word_inside_a_glued_name_keeps_its_reading():
    decision = decision_of("李大夫在吗", "大")
    assert (decision.reading, decision.source) == ("dai4", "word")


def test_reduplicated_verb_cut_from_its_second_syllable():
    # The segmenter cuts 扇/扇风; the reduplication 扇扇 decides, not the word 扇风.
    assert pinyin_line("我给他扇扇风").split()[3:5] == ["shan1", "shan5"]


def test_modal_particle_at_the_end_of_a_clause_is_neutral():
    for text, char, reading in (("我们终于到家啦", "啦", "la5"), ("记得早点回家哦", "哦", "o5")):
        decision = decision_of(text, char)
        assert (decision.reading, decision.source) == (reading, "rule")
    # Alone it is an interjection, not a particle after a word.
    assert decision_of("啊", "啊").source != "rule"


def test_yong_closing_an_unlisted_place_name_is_chong1():
    # Cantonese 涌 "creek" in a place name no dictionary lists; the verb yong3 elsewhere.
    decision = decision_of("他住在乌涌", "涌")
    assert (decision.reading, decision.source) == ("chong1", "rule")
    assert reading_of("人群涌入车站", "涌") == "yong3"
    assert reading_of("江水奔涌", "涌") == "yong3"


def test_zhe_before_a_little_is_the_durative_particle():
    # V着点 (mild imperative), not the separable word 着花; 着什么急 stays zhao2.
    decision = decision_of("钱要省着些用", "着")
    assert (decision.reading, decision.source) == ("zhe5", "rule")
    assert reading_of("路上慢着点开", "着") == "zhe5"
    assert reading_of("你着什么急", "着") == "zhao2"


def test_chong_before_a_pronoun_is_the_preposition_towards():
    decision = decision_of("他冲我笑了笑", "冲")
    assert (decision.reading, decision.source) == ("chong4", "rule")
    assert reading_of("她冲着大门跑去", "冲") == "chong4"
    assert reading_of("大家冲过去", "冲") == "chong1"
    assert reading_of("我去冲咖啡", "冲") == "chong1"


def test_qia_is_stuck_before_zai_or_zhu_but_a_card_after_de_or_a_measure():
    decision = decision_of("门卡住了", "卡")
    assert (decision.reading, decision.source) == ("qia3", "rule")
    assert reading_of("抽屉卡在半路拉不开", "卡") == "qia3"
    assert reading_of("我的卡在你那儿", "卡") == "ka3"
    assert reading_of("这张卡在哪办的", "卡") == "ka3"


def test_la_is_leave_behind_when_ba_puts_an_object_before_luo():
    decision = decision_of("把钥匙落在家里了", "落")
    assert (decision.reading, decision.source) == ("la4", "rule")
    assert reading_of("别把伞落在车上", "落") == "la4"
    assert reading_of("树叶落在地上", "落") == "luo4"
    assert reading_of("他把目光落在我身上", "落") == "luo4"


def test_tiao_before_a_setting_but_the_arbiter_for_a_place():
    decision = decision_of("把音量调到最大", "调")
    assert (decision.reading, decision.source) == ("tiao2", "rule")
    assert reading_of("冰箱调到三档就够了", "调") == "tiao2"
    assert reading_of("他被调到北京工作", "调") == "diao4"


def test_chang_counts_a_spell_of_weather_or_illness():
    decision = decision_of("那场病让他瘦了很多", "场")
    assert (decision.reading, decision.source) == ("chang2", "rule")
    assert reading_of("昨晚下了几场大雪", "场") == "chang2"
    assert reading_of("这场比赛很精彩", "场") == "chang3"


def test_za_ties_up_hair_and_zha_pricks():
    decision = decision_of("妈妈每天给她扎辫子", "扎")
    assert (decision.reading, decision.source) == ("za1", "rule")
    assert reading_of("她扎了个马尾", "扎") == "za1"
    assert reading_of("针扎了一下手", "扎") == "zha1"


def test_huo_mixes_in_a_ba_clause_before_zai_yiqi():
    decision = decision_of("把糖和盐和在一起", "和", 1)
    assert (decision.reading, decision.source) == ("huo4", "rule")
    assert reading_of("把糖和盐和在一起", "和") == "he2"
    assert reading_of("我和在一起的同事吃饭", "和") == "he2"


def test_everyday_words_of_the_own_table():
    assert reading_of("膝盖摔破流血了", "血") == "xue4"


@pytest.mark.parametrize(
    ("text", "reading"),
    [("我今天没空", "kong4"), ("周末抽空来一趟", "kong4"), ("你明天有空吗", "kong4"),
     ("把空调打开", "kong1"), ("今天天空很蓝", "kong1")],
)
def test_kong_is_free_time_after_you_mei_chou(text, reading):
    assert reading_of(text, "空") == reading


def test_adjective_predicated_of_a_noun_before_a_final_le():
    decision = decision_of("奶奶的病好了", "好")
    assert (decision.reading, decision.source) == ("hao3", "rule")
    assert reading_of("晒的被子干了吗", "干") == "gan1"
    assert reading_of("孩子的头发长了", "长") == "zhang3"
    assert reading_of("你干吗不去", "干") == "gan4"  # the word 干吗; 干了吗 is not split from it


def test_de_before_zhen_or_ting_is_the_complement_particle():
    decision = decision_of("这张画画得真好", "得")
    assert (decision.reading, decision.source) == ("de5", "rule")
    assert reading_of("你得快点走", "得") == "dei3"


def test_wei_before_a_pronoun_is_the_preposition_for():
    decision = decision_of("我们要为他加油", "为")
    assert (decision.reading, decision.source) == ("wei4", "rule")
    assert reading_of("妈妈为你骄傲", "为") == "wei4"
    assert reading_of("这些人才为我所用", "为") == "wei2"


def test_a_filler_that_closes_a_word_splits_no_separable_word():
    # 难过得哭了: 过 belongs to 难过, so 得 is the complement particle, not 难得 de2.
    decision = decision_of("她难过得哭了", "得")
    assert decision.reading == "de5"
    assert reading_of("你着什么急", "着") == "zhao2"


def test_a_neutral_syllable_that_is_a_reading_of_its_own_stays():
    # CC-CEDICT's 长得 zhang3 de5: de5 is the particle's own reading, not a tone to choose.
    decision = decision_of("这孩子长得真快", "得")
    assert (decision.reading, decision.source) == ("de5", "word")
    assert pinyin_line("超市的鸡蛋特别便宜").split()[-2:] == ["pian2", "yi5"]


def test_she_is_snapped_after_a_verb_of_force_or_a_noun():
    decision = decision_of("他摔折了胳膊", "折")
    assert (decision.reading, decision.source) == ("she2", "rule")
    assert reading_of("大风把树枝压折了", "折") == "she2"
    assert reading_of("椅子腿折了", "折") == "she2"
    assert reading_of("把信纸折了再装进去", "折") == "zhe2"
    assert reading_of("这双鞋打折了", "折") == "zhe2"


def test_huan_returns_an_object_after_a_modal_or_motion_verb():
    decision = decision_of("你要还书吗", "还")
    assert (decision.reading, decision.source) == ("huan2", "rule")
    assert reading_of("我明天去还车", "还") == "huan2"
    assert reading_of("你得还他钱", "还") == "huan2"
    assert reading_of("我还要去一趟", "还") == "hai2"
    assert reading_of("你要还这样下去吗", "还") == "hai2"


def test_bei_carries_a_noun_and_hides_from_a_pronoun():
    decision = decision_of("妈妈背着孩子上山", "背")
    assert (decision.reading, decision.source) == ("bei1", "rule")
    assert reading_of("他背着我偷偷买了车", "背") == "bei4"


def test_zhuan_revolves_in_a_clause_opened_by_rao():
    decision = decision_of("月亮绕着地球转", "转")
    assert (decision.reading, decision.source) == ("zhuan4", "rule")
    assert reading_of("他转过身来", "转") == "zhuan3"


def test_a_verb_before_yixia_takes_its_verb_reading():
    decision = decision_of("护士给你量一下体温", "量")
    assert (decision.reading, decision.source) == ("liang2", "rule")
    assert reading_of("你数一下有几个", "数") == "shu3"


def test_zhao_between_a_noun_and_le_and_jue_after_bu_zhao():
    decision = decision_of("炉子里的火着了", "着")
    assert (decision.reading, decision.source) == ("zhao2", "rule")
    assert reading_of("他昨晚睡不着觉", "觉") == "jiao4"
    assert reading_of("她看着我笑", "着") == "zhe5"
