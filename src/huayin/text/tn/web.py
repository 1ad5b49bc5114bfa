"""Web addresses, e-mail addresses, file paths and IP addresses, read as Chinese announcers do.

Letters stay letters (a later stage spells them or keeps known words), digits are read one by one
(www.12306.cn → www点一二三零六点cn, never 一万两千三百零六), and the marks are named: . 点,
/ 斜杠, \\ 反斜杠, : 冒号, @ 艾特, _ 下划线, - 横杠. Each character keeps its own source span.
"""

import re

from huayin.text.numbers import read_digits
from huayin.text.tn.rule import Piece, Rule

MARK_NAMES = {
    ".": "点", "/": "斜杠", "\\": "反斜杠", ":": "冒号", "@": "艾特", "_": "下划线", "-": "横杠",
    "?": "问号", "=": "等于", "&": "和", "#": "井号", "~": "波浪号", "%": "百分号", "+": "加",
}

# Top-level domains common enough in Chinese text to mark a bare name.name as an address.
_TLD = r"(?:com|cn|net|org|gov|edu|int|io|co|me|info|biz|tv|cc|top|xyz|app|dev|hk|tw|jp|uk|de|us)"
# Characters inside a URL; the last one may not be sentence punctuation (…见www.a.cn.).
_URL_CHAR = r"[A-Za-z0-9\-._~:/?#@!$&*+=%]"
_URL_END = r"[A-Za-z0-9\-_~/#&*+=%]"
_NAME = r"[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?"
_FILE_EXTENSIONS = (
    r"(?:txt|csv|pdf|docx?|xlsx?|pptx?|jpe?g|png|gif|bmp|svg|mp3|mp4|wav|zip|rar|7z|exe|apk|py|js|"
    r"json|ya?ml|html?|log|sh|md|xml|ini|conf|cfg|tar|gz|sql|ttf|dll|so|iso)")
_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"


def _spell(match: re.Match) -> list[Piece]:
    """Letters kept, digits one by one, marks by name, each with its own span."""
    pieces: list[Piece] = []
    for token in re.finditer(r"[A-Za-z]+|\d+|.", match.group(0)):
        text = token.group(0)
        if text[0].isdigit():
            spoken = read_digits(text)
        else:
            spoken = MARK_NAMES.get(text, text)
        start = match.start() + token.start()
        pieces.append((spoken, start, start + len(text)))
    return pieces


RULES = [
    Rule("email", re.compile(
        rf"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9][A-Za-z0-9._%+\-]*@{_NAME}(?:\.{_NAME})*\.[A-Za-z]{{2,}}"
        r"(?![A-Za-z0-9])"), _spell),
    Rule("url", re.compile(
        rf"(?<![A-Za-z0-9])(?:(?i:https?|ftp)://|www\.){_URL_CHAR}*{_URL_END}"), _spell),
    Rule("domain", re.compile(
        rf"(?<![A-Za-z0-9@.\-/])(?:{_NAME}\.)+{_TLD}(?![A-Za-z0-9\-])(?:/{_URL_CHAR}*{_URL_END})?"),
        _spell),
    Rule("windows_path", re.compile(
        r"(?<![A-Za-z0-9])[A-Za-z]:\\(?:[A-Za-z0-9._\-]+\\)*[A-Za-z0-9._\-]*[A-Za-z0-9_\-]"), _spell),
    # Two components at least, one with a letter: /var/log, ~/bin/run.sh (元/斤 is no path).
    Rule("unix_path", re.compile(
        r"(?<![A-Za-z0-9.:/\\])~?/(?:[A-Za-z0-9._\-]+/)+[A-Za-z0-9._\-]*[A-Za-z0-9_\-]"), _spell,
        accepts=lambda m: bool(re.search(r"[A-Za-z]", m.group(0)))),
    Rule("file_name", re.compile(
        rf"(?<![A-Za-z0-9_\-./\\])[A-Za-z0-9_\-]+(?:\.[A-Za-z0-9_\-]+)*\.{_FILE_EXTENSIONS}"
        r"(?![A-Za-z0-9])"), _spell),
    Rule("ip_address", re.compile(rf"(?<![\d.A-Za-z])(?:{_OCTET}\.){{3}}{_OCTET}(?![\d.])"),
         _spell),
]
