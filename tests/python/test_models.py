"""Models: attributes, UTC datetimes, repr, equality, to_dict, unknown fields."""

from __future__ import annotations

from datetime import datetime, timezone

import ucare

FILE = {
    "uuid": "22240276-2f06-41f8-9411-755c8ce926ed", "original_filename": "pineapple.jpg", "mime_type": "image/jpeg", "size": 642,
    "is_image": True, "is_ready": True, "datetime_uploaded": "2018-11-26T12:49:09.945335Z", "datetime_stored": "2018-11-26T12:49:10.477888Z",
    "datetime_removed": None, "original_file_url": None, "url": None, "source": None,
    "image_info": {"color_mode": "RGB", "orientation": None, "format": "JPEG", "sequence": False, "height": 500, "width": 500,
                   "geo_location": None, "datetime_original": None, "dpi": [144, 144]},
    "video_info": {"duration": 3},
}


def test_file_fields_and_round_trip() -> None:
    f = ucare.File.from_dict(FILE)
    assert f.datetime_uploaded == datetime(2018, 11, 26, 12, 49, 9, 945335, tzinfo=timezone.utc)
    assert f.is_stored and not f.is_removed
    assert f.image_info is not None and f.image_info.dpi == [144, 144]
    assert f.extra == {"video_info": {"duration": 3}}
    assert f.to_dict() == FILE
    assert f == ucare.File.from_dict(FILE)
    assert repr(f) == "File(22240276-2f06-41f8-9411-755c8ce926ed 'pineapple.jpg' 642 bytes, stored)"


def test_other_models() -> None:
    batch = ucare.BatchResult.from_dict({"status": "ok", "problems": {"x": "Invalid"}, "result": [FILE]})
    assert repr(batch) == "BatchResult(1 files, 1 problems)" and batch.result[0].size == 642
    status = ucare.ConversionStatus.from_dict({"status": "failed", "error": "boom", "result": {"uuid": "u"}})
    assert status.is_final and status.to_dict() == {"status": "failed", "error": "boom", "result": {"uuid": "u"}}
    response = ucare.ConversionResponse.from_dict({"problems": {}, "result": [{"token": 1, "uuid": "u", "thumbnails_group_uuid": "g~1"}]}, "video")
    assert response.jobs[0].kind == "video" and response.result == response.jobs
    group = ucare.Group.from_dict({"id": "g~2", "files_count": 2, "datetime_created": "2018-11-27T14:14:37.583654Z", "files": [FILE, None]})
    assert group.files is not None and group.files[1] is None
    hook = ucare.Webhook.from_dict({"id": 1, "target_url": "https://e.com", "signing_secret": "shh", "is_active": True, "event": "file.uploaded"})
    assert "shh" not in repr(hook) and hook.to_dict()["signing_secret"] == "shh"
