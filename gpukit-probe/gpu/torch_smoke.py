"""The PyTorch equivalent of gpukit-probe's readiness check, for comparison in bench.sh.

NVML init (pynvml when importable, else ctypes on libnvidia-ml.so.1), torch.cuda.is_available(),
then a 4 MiB host -> device -> host round trip compared bit-exact. Exit 0 when healthy.
"""
import ctypes
import sys
import time

t0 = time.perf_counter()
try:
    import pynvml
    pynvml.nvmlInit()
    count = pynvml.nvmlDeviceGetCount()
    nvml = "pynvml"
except ImportError:
    lib = ctypes.CDLL("libnvidia-ml.so.1")
    if lib.nvmlInit_v2() != 0:
        print("nvmlInit_v2 failed", file=sys.stderr)
        sys.exit(10)
    n = ctypes.c_uint()
    lib.nvmlDeviceGetCount_v2(ctypes.byref(n))
    count = n.value
    nvml = "ctypes"
t1 = time.perf_counter()

import torch  # noqa: E402  (timed apart: the import is most of the cost)

t2 = time.perf_counter()
if not torch.cuda.is_available():
    print("torch.cuda.is_available() is False", file=sys.stderr)
    sys.exit(11)
host = torch.randint(0, 256, (4 << 20,), dtype=torch.uint8)
back = host.to("cuda").to("cpu")
torch.cuda.synchronize()
ok = torch.equal(host, back)
t3 = time.perf_counter()
print(f'{{"ok":{str(ok).lower()},"nvml":"{nvml}","nvmlDevices":{count},'
      f'"cudaDevices":{torch.cuda.device_count()},"torch":"{torch.__version__}",'
      f'"nvmlMs":{(t1 - t0) * 1e3:.1f},"importMs":{(t2 - t1) * 1e3:.1f},'
      f'"roundTripMs":{(t3 - t2) * 1e3:.1f}}}')
sys.exit(0 if ok else 12)
