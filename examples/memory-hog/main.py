# Allocates far past its memory limit: the kernel's OOM killer stops it and the job ends FAILED/OOMKilled.
chunks = []
while True:
    chunks.append(bytearray(16 * 1024 * 1024))
    for i in range(0, len(chunks[-1]), 4096):
        chunks[-1][i] = 1
