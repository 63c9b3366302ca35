# Prints 10 MiB: the result keeps MAX_OUTPUT_SIZE bytes and says it was truncated.
import sys

line = "x" * 1023 + "\n"
for _ in range(10 * 1024):
    sys.stdout.write(line)
