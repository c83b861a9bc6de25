/*
 * no_udev — for `make static` only.
 *
 * Debian's libhwloc.a asks libudev for the names of OS devices (disks,
 * network cards), and Debian ships no static libudev.  bench never looks at
 * OS devices, so the static build links these instead: udev_new() fails and
 * hwloc carries on without device names, as it does where udev is absent.
 */
#include <stddef.h>

struct udev;
struct udev_device;

struct udev *udev_new(void);
struct udev *udev_unref(struct udev *udev);
struct udev_device *udev_device_new_from_subsystem_sysname(struct udev *udev,
							    const char *subsystem,
							    const char *sysname);
struct udev_device *udev_device_unref(struct udev_device *dev);
const char *udev_device_get_property_value(struct udev_device *dev, const char *key);

struct udev *udev_new(void)
{
	return NULL;
}

struct udev *udev_unref(struct udev *udev)
{
	return NULL;
}

struct udev_device *udev_device_new_from_subsystem_sysname(struct udev *udev,
							    const char *subsystem,
							    const char *sysname)
{
	return NULL;
}

struct udev_device *udev_device_unref(struct udev_device *dev)
{
	return NULL;
}

const char *udev_device_get_property_value(struct udev_device *dev, const char *key)
{
	return NULL;
}
