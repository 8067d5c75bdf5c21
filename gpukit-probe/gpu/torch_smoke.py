"""The PyTorch equivalent of gpukit-probe's readiness check, for comparison in bench.sh.

The same checks, the way a PyTorch image would write them: NVML init and, per GPU, name, memory and
temperature (pynvml when importable, else ctypes on libnvidia-ml.so.1); torch.cuda.is_available()
and the CUDA device count; a 4 MiB host -> device -> host round trip compared bit-exact; and a
saxpy over 65 536 floats on the GPU compared with the CPU (allclose, 1e-6 relative: PyTorch does not
promise whether its kernel fuses the multiply-add). Exit 0 when healthy, 11/12/13 like the probe.
"""
import ctypes
import sys
import time

t0 = time.perf_counter()
try:
    import pynvml
    pynvml.nvmlInit()
    count = pynvml.nvmlDeviceGetCount()
    for i in range(count):
        h = pynvml.nvmlDeviceGetHandleByIndex(i)
        pynvml.nvmlDeviceGetName(h)
        pynvml.nvmlDeviceGetMemoryInfo(h)
        pynvml.nvmlDeviceGetTemperature(h, pynvml.NVML_TEMPERATURE_GPU)
    nvml = "pynvml"
except ImportError:
    lib = ctypes.CDLL("libnvidia-ml.so.1")
    if lib.nvmlInit_v2() != 0:
        print("nvmlInit_v2 failed", file=sys.stderr)
        sys.exit(10)
    n = ctypes.c_uint()
    lib.nvmlDeviceGetCount_v2(ctypes.byref(n))
    count = n.value
    for i in range(count):
        h = ctypes.c_void_p()
        name = ctypes.create_string_buffer(96)
        mem = (ctypes.c_ulonglong * 3)()
        temp = ctypes.c_uint()
        if (lib.nvmlDeviceGetHandleByIndex_v2(i, ctypes.byref(h)) != 0
                or lib.nvmlDeviceGetName(h, name, 96) != 0
                or lib.nvmlDeviceGetMemoryInfo(h, ctypes.byref(mem)) != 0
                or lib.nvmlDeviceGetTemperature(h, 0, ctypes.byref(temp)) != 0):
            print(f"NVML device {i} query failed", file=sys.stderr)
            sys.exit(10)
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
if not ok:
    print("the bytes came back different", file=sys.stderr)
    sys.exit(12)
x = torch.arange(65536, dtype=torch.float32) * 0.25 - 1000.0
y = torch.arange(65536, dtype=torch.float32).flip(0) * 0.5 + 3.0
gpu = y.to("cuda").add(x.to("cuda"), alpha=2.5).to("cpu")
kernel_ok = torch.allclose(gpu, y.add(x, alpha=2.5), rtol=1e-6, atol=0.0)
t3 = time.perf_counter()
print(f'{{"ok":{str(ok and kernel_ok).lower()},"saxpy":{str(kernel_ok).lower()},"nvml":"{nvml}","nvmlDevices":{count},'
      f'"cudaDevices":{torch.cuda.device_count()},"torch":"{torch.__version__}",'
      f'"nvmlMs":{(t1 - t0) * 1e3:.1f},"importMs":{(t2 - t1) * 1e3:.1f},'
      f'"roundTripAndSaxpyMs":{(t3 - t2) * 1e3:.1f}}}')
sys.exit(0 if kernel_ok else 13)
