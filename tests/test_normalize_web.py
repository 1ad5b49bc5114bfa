"""URLs, e-mail addresses, paths and IP addresses (issue 15, numbers in mixed contexts)."""

import pytest

from huayin.text.normalize import normalize


def said(text: str) -> str:
    return normalize(text).text


@pytest.mark.parametrize(
    ("text", "normalized"),
    [
        ("www.163.com", "www点一六三点com"), ("请访问news.sina.com.cn。", "请访问news点sina点com点cn。"),
        ("见https://a.b.cn/p/10086。", "见https冒号斜杠斜杠a点b点cn斜杠p斜杠一零零八六。"),
        ("xiao-wang_88@gmail.com", "xiao横杠wang下划线八八艾特gmail点com"),
        ("邮箱10000@qq.com", "邮箱一零零零零艾特qq点com"),
        ("/usr/local/bin", "斜杠usr斜杠local斜杠bin"), ("~/.bashrc/x", "波浪号斜杠点bashrc斜杠x"),
        ("E:\\music\\2019", "E冒号反斜杠music反斜杠二零一九"), ("打开notes_v2.txt", "打开notes下划线v二点txt"),
        ("网关10.0.0.1", "网关一零点零点零点一"),
        # not addresses: units, fractions, versions, words with slashes
        ("5元/斤", "五元每斤"), ("1/2", "二分之一"), ("v1.2.3", "v一点二点三"), ("和/或", "和/或"),
        ("A/B测试", "A/B测试"), ("e.g.", "e.g."),
    ],
)
def test_web_addresses(text, normalized):
    assert said(text) == normalized


def test_address_characters_keep_their_own_spans():
    result = normalize("见a.cn")
    assert result.text == "见a点cn"
    assert result.spans[2] == (2, 3)  # 点 ← "."
    assert result.spans[3:] == ((3, 5), (3, 5))  # "cn"
