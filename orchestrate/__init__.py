"""The scheduler of the container: runs the Meltano schedules of meltano.yml one at a time.

Meltano 4 has no scheduler process of its own. `python -m orchestrate` reads the schedules with
`meltano schedule list --format=json`, reads their cron intervals in `TZ` (default Asia/Tokyo)
and runs each due schedule's job with `meltano run <job>`, never two at once. It drives Meltano
through its command line only and holds no pipeline logic (DESIGN.md section 9).
"""
