# Runs past its timeout: the agent kills its whole process group and the job ends TIMEOUT.
import time

print("starting a long job", flush=True)
while True:
    time.sleep(1)
