/* isatty: "N yes|no" for fds 0-2, then "size ROWS COLS" when stdin is a tty. */
#include <stdio.h>
#include <sys/ioctl.h>
#include <unistd.h>

int applet_isatty(int argc, char **argv)
{
        struct winsize ws;

        (void)argc;
        (void)argv;
        for (int fd = 0; fd < 3; fd++)
                printf("%d %s\n", fd, isatty(fd) ? "yes" : "no");
        if (ioctl(0, TIOCGWINSZ, &ws) == 0)
                printf("size %u %u\n", ws.ws_row, ws.ws_col);
        return 0;
}
