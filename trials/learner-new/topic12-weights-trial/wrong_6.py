# W6: conv2d_backward_weights made by copying conv2d_backward and deleting only the col2im line
# (and dx from the return): it still computes dcols, the big (N*Hout*Wout, C*KH*KW) product,
# which is half of what the function exists to skip, and allocates a 9x-input array.
def conv2d_backward_weights(dout, cache):
    cols, w, x_shape, stride, padding = cache
    F, _, KH, KW = w.shape
    dout_t = dout.transpose(1, 0, 2, 3).reshape(F, -1)
    db = dout_t.sum(axis=1)
    dw = (cols.T @ dout_t.T).T.reshape(w.shape)
    dcols = (w.reshape(F, -1).T @ dout_t).T                          # left over from conv2d_backward
    return dw, db
