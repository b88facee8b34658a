from bot.text.normalize import normalize_text


def test_full_width_digits_and_letters_become_half_width() -> None:
    assert normalize_text("电话１３８００１３８０００ ＡＢＣ") == "电话13800138000 ABC"


def test_traditional_becomes_simplified() -> None:
    assert normalize_text("殘疾人護理補貼怎麼申請") == "残疾人护理补贴怎么申请"


def test_zero_width_characters_are_removed() -> None:
    assert normalize_text("护\u200b理\u200d补\ufeff贴") == "护理补贴"


def test_spaces_are_collapsed_and_trimmed() -> None:
    assert normalize_text("  护理   补贴 \n\t 怎么办  ") == "护理 补贴 怎么办"


def test_only_invisible_characters_gives_empty_text() -> None:
    assert normalize_text("\u200b \u2060\n") == ""


def test_lone_surrogates_are_removed_so_the_text_can_be_encoded() -> None:
    """Issue 11 (low): WeChat, /ws/voice and recognisers hand over text without pydantic's check."""
    clean = normalize_text("护\ud800理\udfff补贴")
    assert clean == "护理补贴" and clean.encode("utf-8")
