# Files written under OUTPUT_DIR are uploaded to S3; their URLs come back in outputFiles.
import os

out = os.environ["OUTPUT_DIR"]
with open(os.path.join(out, "report.txt"), "w") as f:
    f.write("report of the run\n")
os.makedirs(os.path.join(out, "data"), exist_ok=True)
with open(os.path.join(out, "data", "numbers.csv"), "w") as f:
    f.write("n,square\n" + "".join(f"{n},{n * n}\n" for n in range(10)))
print("wrote 2 files")
