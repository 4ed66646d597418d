"""Click's own words in Vietnamese: "Cách dùng", "Tùy chọn", "Hiện hướng dẫn này rồi thoát",
"Lỗi: …". Click asks `gettext` for every message it prints; `install()` makes its modules ask
this catalog instead (Python's gettext would need a compiled catalog and a Vietnamese locale in
the environment, which a server seldom has). A message not listed here stays as Click wrote it.
"""

from __future__ import annotations

import importlib

import click

# Click's message ids (click 8.1-8.2) → Vietnamese. Placeholders keep Click's names; a
# translation may leave one out (str.format ignores the unused).
MESSAGES = {
    "Usage:": "Cách dùng:",
    "Options": "Tùy chọn",
    "Commands": "Lệnh",
    "Positional arguments": "Đối số",
    "Show this message and exit.": "Hiện hướng dẫn này rồi thoát.",
    "Show the version and exit.": "Hiện phiên bản rồi thoát.",
    "%(prog)s, version %(version)s": "%(prog)s, phiên bản %(version)s",
    "Error: {message}": "Lỗi: {message}",
    "Try '{command} {option}' for help.": "Gõ '{command} {option}' để xem hướng dẫn.",
    "Aborted!": "Đã dừng.",
    "Missing command.": "Thiếu lệnh.",
    "No such command {name!r}.": "Không có lệnh {name!r}.",
    "No such option {name!r}.": "Không có tùy chọn {name!r}.",
    "Missing argument": "Thiếu đối số",
    "Missing option": "Thiếu tùy chọn",
    "Missing parameter": "Thiếu tham số",
    "Missing parameter: {param_name}": "Thiếu tham số: {param_name}",
    "Missing {param_type}": "Thiếu {param_type}",
    "Invalid value for {param_hint}: {message}": "Giá trị không hợp lệ cho {param_hint}: {message}",
    "Invalid value: {message}": "Giá trị không hợp lệ: {message}",
    "Option {name!r} does not take a value.": "Tùy chọn {name!r} không nhận giá trị.",
    "Argument {name!r} takes {nargs} values.": "Đối số {name!r} cần {nargs} giá trị.",
    "{value!r} is not a valid {number_type}.": "{value!r} không phải là một số hợp lệ.",
    "{value} is not in the range {range}.": "{value} nằm ngoài khoảng {range}.",
    "{value!r} is not a valid boolean. Recognized values: {states}": (
        "{value!r} không phải giá trị đúng/sai. Dùng một trong: {states}"
    ),
    "Choose from:\n\t{choices}": "Chọn một trong:\n\t{choices}",
    "{name} {filename!r} does not exist.": "{filename!r} không tồn tại.",
    "{name} {filename!r} is a file.": "{filename!r} là một tệp, không phải thư mục.",
    "{name} {filename!r} is a directory.": "{filename!r} là một thư mục, không phải tệp.",
    "{name} {filename!r} is not readable.": "Không đọc được {filename!r}.",
    "{name} {filename!r} is not writable.": "Không ghi được vào {filename!r}.",
    "{name} {filename!r} is not executable.": "{filename!r} không chạy được.",
    "Could not open file {filename!r}: {message}": "Không mở được tệp {filename!r}: {message}",
    "unknown error": "lỗi không rõ",
    "default: {default}": "mặc định: {default}",
    "env var: {var}": "biến môi trường: {var}",
    "deprecated": "không còn dùng",
    "Do you want to continue?": "Tiếp tục?",
    "Confirm the action without prompting.": "Xác nhận luôn, không hỏi lại.",
    "Error: invalid input": "Lỗi: giá trị nhập không hợp lệ",
    "Error: The two entered values do not match.": "Lỗi: hai lần nhập không khớp nhau.",
    "Repeat for confirmation": "Nhập lại để xác nhận",
}
# (singular, plural) → Vietnamese (one form: Vietnamese nouns do not change with the number)
PLURALS = {
    "Got unexpected extra argument ({args})": "Thừa đối số: {args}",
    "Option {name!r} requires an argument.": "Tùy chọn {name!r} cần một giá trị.",
    "Did you mean {possibility}?": "Có phải ý bạn là {possibility}?",
    "{value!r} is not {choice}.": "{value!r} không phải là {choice}.",
    "{value!r} does not match the format {format}.": "{value!r} không đúng dạng {format}.",
    "Takes {nargs} values but 1 was given.": "Cần {nargs} giá trị nhưng chỉ có {len}.",
}
PLURAL_ONLY = {
    "Option {name!r} requires {nargs} arguments.": "Tùy chọn {name!r} cần {nargs} giá trị.",
    "(Did you mean one of: {possibilities}?)": "(Có phải ý bạn là một trong: {possibilities}?)",
    "{value!r} is not one of {choices}.": "{value!r} không phải là một trong: {choices}.",
    "{value!r} does not match the formats {formats}.": "{value!r} không đúng dạng nào trong "
    "{formats}.",
    "Takes {nargs} values but {len} were given.": "Cần {nargs} giá trị nhưng có {len}.",
    "Got unexpected extra arguments ({args})": "Thừa đối số: {args}",
}
CLICK_MODULES = (
    "click.core",
    "click.decorators",
    "click.exceptions",
    "click.formatting",
    "click.parser",
    "click.termui",
    "click.types",
)


OPTIONS_METAVAR = "[TÙY_CHỌN]"


class Group(click.Group):
    """A command group whose usage lines name their parts in Vietnamese:
    `cchc [TÙY_CHỌN] LỆNH [ĐỐI_SỐ]...`, `cchc parse [TÙY_CHỌN] FILES...`."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", OPTIONS_METAVAR)
        kwargs.setdefault("subcommand_metavar", "LỆNH [ĐỐI_SỐ]...")
        super().__init__(*args, **kwargs)

    def command(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", OPTIONS_METAVAR)
        return super().command(*args, **kwargs)


def gettext(message: str) -> str:
    return MESSAGES.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    if n == 1 and singular in PLURALS:
        return PLURALS[singular]
    if n != 1 and plural in PLURAL_ONLY:
        return PLURAL_ONLY[plural]
    return singular if n == 1 else plural


def install() -> None:
    """Make Click print its messages in Vietnamese (in this process)."""
    for name in CLICK_MODULES:
        module = importlib.import_module(name)
        if hasattr(module, "_"):
            module._ = gettext
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext
