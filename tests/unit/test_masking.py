import logging

from bot.core.logging import MaskingFilter
from bot.rules.masking import mask_sensitive


def test_id_number_keeps_first_and_last_four() -> None:
    assert mask_sensitive("身份证231081199001010012") == "身份证2310**********0012"


def test_id_number_with_x_is_masked() -> None:
    assert mask_sensitive("23108119900101001X") == "2310**********001X"


def test_disability_certificate_number_is_masked() -> None:
    masked = mask_sensitive("证号23108119900101001241")
    assert masked == "证号2310************1241"


def test_mobile_and_landline_are_masked() -> None:
    assert mask_sensitive("电话13812345678") == "电话138****5678"
    assert mask_sensitive("座机0453-3921234") == "座机0453-****1234"


def test_hotlines_and_ordinary_numbers_are_left_alone() -> None:
    assert mask_sensitive("请拨打12385或12345，2025年") == "请拨打12385或12345，2025年"


def test_log_records_are_masked() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "phone %s", ("13812345678",), None)
    MaskingFilter().filter(record)
    assert record.getMessage() == "phone 138****5678"
