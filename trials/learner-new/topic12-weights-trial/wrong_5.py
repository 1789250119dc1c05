# W5: refactor plus a memory "optimisation" from the trade-off section: once dw is computed the
# columns are "no longer needed", so conv2d_backward writes dcols into the cached cols buffer
# (saves a 9x-input allocation). It overwrites the cache: a second backward on the same cache
# computes dw from dcols instead of cols.
def conv2d_backward(dout, cache):
    cols, w, x_shape, stride, padding = cache
    F, _, KH, KW = w.shape
    dw, db = conv2d_backward_weights(dout, cache)
    dout_rows = dout.transpose(0, 2, 3, 1).reshape(-1, F)
    dcols = np.matmul(dout_rows, w.reshape(F, -1), out=cols)         # reuse the columns' memory
    dx = col2im(dcols, x_shape, (KH, KW), stride, padding)
    return dx, dw, db
