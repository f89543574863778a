"""Typos a user could make, each of which ``mypy --strict`` must reject (test_typing checks
that every line marked ``# error`` is reported, and nothing else)."""

import ucare

client = ucare.Client("pk", "sk")
client.files.list(ordering="-datetime_uplaoded")  # error
client.groups.list(ordering="created")  # error
client.webhooks.create("https://example.com/h", event="file.upload")  # error
client.addons.run("remove_background", "21975c81-7f57-4c7a-aef9-acfe28779f78")  # error
client.conversions.status(1, kind="audio")  # error
ucare.Client("pk", "sk", api_version="0.6")  # error
ucare.Client("pk", "sk", auth="basic")  # error
client.addons.remove_bg("21975c81-7f57-4c7a-aef9-acfe28779f78", channels="rgb")  # error
state: ucare.AddonState = "finished"  # error
job_state: ucare.JobState = "done"  # error
client.files.list(ordering="-datetime_uploaded")
