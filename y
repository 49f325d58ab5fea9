Traceback (most recent call last):
  File "/work/wt/fillpo.py", line 9, in <module>
    k, v = arg.split("=>", 1)
    ^^^^
ValueError: not enough values to unpack (expected 2, got 1)
