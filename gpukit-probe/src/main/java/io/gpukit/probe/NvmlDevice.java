package io.gpukit.probe;

/**
 * What NVML says about one GPU. A {@code null} field was not supported by the device or driver.
 *
 * @param index NVML's index (all GPUs of the host that the container can see, in PCI order)
 * @param name the product name
 * @param uuid the UUID, {@code GPU-xxxxxxxx-...}
 * @param memoryTotalBytes total framebuffer memory
 * @param memoryFreeBytes free framebuffer memory
 * @param memoryUsedBytes used framebuffer memory
 * @param temperatureC GPU core temperature
 * @param throttleReasons the clock event (throttle) reason bit mask
 * @param eccUncorrectedVolatile uncorrected ECC errors since the last driver reload
 * @param retiredPagesPending whether retired pages await a reset (pre-Ampere)
 * @param rowRemapPending whether remapped rows await a reset (Ampere and newer)
 * @param rowRemapFailure whether a row remapping failed
 */
record NvmlDevice(
    int index,
    String name,
    String uuid,
    Long memoryTotalBytes,
    Long memoryFreeBytes,
    Long memoryUsedBytes,
    Integer temperatureC,
    Long throttleReasons,
    Long eccUncorrectedVolatile,
    Boolean retiredPagesPending,
    Boolean rowRemapPending,
    Boolean rowRemapFailure) {}
