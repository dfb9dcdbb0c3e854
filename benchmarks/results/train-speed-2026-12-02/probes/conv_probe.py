import os, torch
torch.set_num_threads(int(os.environ.get("THREADS", "1")))
convs = {"loc.conv1": ((64,3,32,32),(8,3,7,7)), "loc.conv2": ((64,8,13,13),(10,8,5,5)),
         "cls.conv1": ((64,3,32,32),(10,3,5,5)), "cls.conv2": ((64,10,14,14),(20,10,5,5))}
g = torch.Generator().manual_seed(7)
for name, (xs, ws) in convs.items():
    x0 = torch.rand(xs, generator=g) * 2 - 1
    w0 = torch.rand(ws, generator=g) * 2 - 1
    first = None; bad = 0
    for r in range(100):
        torch.full((200_000 + 997 * r,), float("nan"))  # freed right away
        x = x0.clone().requires_grad_(); w = w0.clone().requires_grad_()
        torch.nn.functional.conv2d(x, w).sum().backward()
        gx = x.grad.clone()
        if first is None: first = gx; continue
        if not torch.equal(first, gx): bad += 1
    print(f"torch {torch.__version__} ISA={os.environ.get('ONEDNN_MAX_CPU_ISA','(unset)')} {name}: input-grad differs in {bad}/99 rounds, NaN in first: {int(first.isnan().sum())}")
